export * from './provisioning';
export * from './observability';
export * from './errors';
export * from './routes';
