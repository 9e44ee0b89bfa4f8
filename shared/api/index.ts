export * from './provisioning';
export * from './observability';
