export * from './provisioning';
export * from './errors';
export * from './routes';
