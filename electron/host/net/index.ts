export type { HostFetch, HostNetwork, TlsFailureFacts, TlsFailureLookup } from './types';
export {
  classifyNetworkFailure,
  networkFailureError,
  captivePortalError,
  proxyAuthError,
  looksLikeWebPage,
  type NetworkFailure,
} from './failures';
export {
  createNodeNetwork,
  isPacUrl,
  presentedIssuer,
  CONNECT_TIMEOUT_MS,
  type NodeNetworkOptions,
} from './node-network';
export { buildTrustStore, splitPem, LINUX_CA_BUNDLES } from './trust-store';
export { chainEndsAtOrgCa } from './org-ca';
export { withCorrelationId, CORRELATION_HEADER } from './correlation';
