export * from './provisioning';
export * from './errors';
