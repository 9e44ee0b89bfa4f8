/**
 * The host's one door to the network. Electron main hands in Chromium's `net.fetch` (system proxy, PAC/WPAD, the OS
 * certificate store); the web host and the CLIs hand in undici with proxy and CA support (`node-fetch.ts`). Nothing
 * else in electron/host opens a socket, so every request gets the same proxy, trust and timeout rules.
 */
export type HostFetch = (input: URL | string, init?: RequestInit) => Promise<Response>;

/** What the host learned about a failed TLS handshake: the certificate authority the network presented. */
export interface TlsFailureFacts {
  /** The issuer of the top-most certificate the server (or the network in between) presented, e.g. "CN=Corp Inspection CA, O=Corp". */
  issuer?: string;
  /** The subject of that certificate. */
  subject?: string;
}

/** Looks up (after a failure) who signed the certificate presented for `url`. Never used to decide trust. */
export type TlsFailureLookup = (url: URL) => Promise<TlsFailureFacts | undefined>;

/** The network seam: the fetch and, where the stack allows it, the TLS facts for error messages. */
export interface HostNetwork {
  fetch: HostFetch;
  tlsFailure?: TlsFailureLookup;
  /** One line for the host log: which proxy and which trust store this network uses (no secrets). */
  describe?: () => Record<string, string | number | boolean>;
}
