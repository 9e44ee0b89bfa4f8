import type { HostNetwork } from './types';

/**
 * The header carrying the journey's correlation id on every backend request: the backend writes it on its request
 * lines, and the wizard shows it in the support details, so support finds the backend's lines for one user's journey.
 */
export const CORRELATION_HEADER = 'X-Correlation-Id';

/**
 * The network seam with the journey's correlation id added to every request (`current` is read per request: a new
 * journey gets a new id). A header the caller set itself is kept. The id is random and says nothing about the user.
 */
export function withCorrelationId(network: HostNetwork, current: () => string | undefined): HostNetwork {
  return {
    ...network,
    fetch: (input, init) => {
      const id = current();
      if (!id) return network.fetch(input, init);
      const headers = new Headers(init?.headers);
      if (!headers.has(CORRELATION_HEADER)) headers.set(CORRELATION_HEADER, id);
      return network.fetch(input, { ...init, headers });
    },
  };
}
