import pkg from '../package.json';

export const SERVICE_NAME = 'techpass-provisioning';
export const SERVICE_VERSION: string = pkg.version;
