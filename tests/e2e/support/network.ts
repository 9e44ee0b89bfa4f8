import {
  startForwardingProxy,
  startTlsFront,
  type ForwardingProxy,
  type TlsFront,
} from '../../../electron/host/test-support/forwarding-proxy';
import { makeThrowawayCa, type ThrowawayCa } from '../../../electron/host/test-support/throwaway-ca';

/** The backend's name on the test network: it resolves only through the proxy. */
export const BACKEND_NAME = 'techpass.test';

export interface TestNetwork {
  ca: ThrowawayCa;
  /** TLS in front of the worker's backend, signed by the throw-away CA, recording what the backend answered. */
  front: TlsFront;
  proxy: ForwardingProxy;
  /** The backend URL the host is given: https://techpass.test:<port>, reachable only through the proxy. */
  backendUrl: string;
  close(): Promise<void>;
}

/**
 * The network of a vendor office, for one test: a forwarding proxy (optionally slow, or asking for credentials) and
 * TLS inspection by a CA the computer does not know until it is given (NODE_EXTRA_CA_CERTS or extraCaCertificates).
 */
export async function startTestNetwork(
  backendUrl: string,
  options: { delayMs?: number; requireAuth?: { user: string; password: string }; page?: string } = {},
): Promise<TestNetwork> {
  const ca = await makeThrowawayCa([BACKEND_NAME]);
  const front = await startTlsFront({
    target: backendUrl,
    certPem: ca.certPem,
    keyPem: ca.keyPem,
    record: true,
    page: options.page,
  });
  const proxy = await startForwardingProxy({
    hosts: { [BACKEND_NAME]: { host: '127.0.0.1', port: front.port } },
    delayMs: options.delayMs,
    requireAuth: options.requireAuth,
  });
  return {
    ca,
    front,
    proxy,
    backendUrl: `https://${BACKEND_NAME}:${front.port}`,
    close: async () => {
      await proxy.close();
      await front.close();
      ca.cleanup();
    },
  };
}

/** Wall-clock time of each step, for the report and docs/it-guide.md. */
export class StepTimer {
  private last = Date.now();
  readonly steps: { step: string; seconds: number }[] = [];
  mark(step: string): void {
    const now = Date.now();
    this.steps.push({ step, seconds: Math.round((now - this.last) / 100) / 10 });
    this.last = now;
  }
  table(title: string): string {
    return [`${title}`, ...this.steps.map((s) => `  ${s.step.padEnd(34)} ${s.seconds.toFixed(1)} s`)].join('\n');
  }
}
