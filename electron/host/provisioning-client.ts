import { z } from 'zod';
import { HostError } from './host-error';

export const HealthResponse = z.object({
  name: z.string(),
  version: z.string(),
  mode: z.enum(['production', 'demo', 'test']),
});
export type HealthResponse = z.infer<typeof HealthResponse>;

export interface ProvisioningClientOptions {
  baseUrl: string;
  timeoutMs?: number;
  now?: () => Date;
  fetchImpl?: typeof fetch;
}

/** Typed HTTP client for the provisioning backend. All HTTP of the app happens here, in the host. */
export class ProvisioningClient {
  private readonly timeoutMs: number;
  private readonly now: () => Date;
  private readonly fetchImpl: typeof fetch;
  /** Device clock minus server clock, in seconds, from the last response's X-Server-Time. */
  clockDriftSeconds: number | undefined;

  constructor(private readonly options: ProvisioningClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.now = options.now ?? (() => new Date());
    this.fetchImpl = options.fetchImpl ?? fetch;
  }

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  async health(): Promise<HealthResponse> {
    const res = await this.request('GET', '/healthz');
    return HealthResponse.parse(await res.json());
  }

  private async request(method: string, path: string): Promise<Response> {
    const url = new URL(path, this.options.baseUrl);
    let res: Response;
    try {
      res = await this.fetchImpl(url, { method, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (err) {
      const timedOut = err instanceof Error && err.name === 'TimeoutError';
      throw HostError.of(
        timedOut ? 'TIMEOUT' : 'BACKEND_UNREACHABLE',
        timedOut
          ? 'The TechPass service is taking too long to answer. Check your connection and try again.'
          : 'The app cannot reach the TechPass service. Check your internet connection, then try again.',
        { retryable: true },
      );
    }
    this.readServerTime(res);
    if (!res.ok) {
      throw HostError.of('BACKEND_UNREACHABLE', `The TechPass service answered with an error (${res.status}). Try again later.`, {
        retryable: res.status >= 500,
      });
    }
    return res;
  }

  private readServerTime(res: Response): void {
    const header = res.headers.get('x-server-time');
    if (!header) return;
    const server = Date.parse(header);
    if (Number.isNaN(server)) return;
    this.clockDriftSeconds = Math.round((this.now().getTime() - server) / 1000);
  }
}
