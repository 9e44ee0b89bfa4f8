import { createHost, type Host, type HostServicesOptions } from '../host-services';

/** A web-mode host for integration tests, pointed at a test backend, with fast client retries. */
export function testHost(backendUrl: string, dataDir: string, extra: Partial<HostServicesOptions> = {}): Host {
  return createHost({
    backendUrl,
    appName: 'TechPass Onboarding',
    appVersion: '0.0.0-test',
    platform: 'linux',
    host: 'web',
    dataDir,
    client: { backoffMs: 10 },
    ...extra,
  });
}
