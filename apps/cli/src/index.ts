/**
 * The CLI as a library: for tests that check documented commands against its real flags,
 * and for the Terraform provider, which plans and applies through the same backend as
 * `slipway iac`.
 */
export { buildProgram } from './program';
export { call, createApi, listAll, type Api, type Schemas } from './client';
export { loadSettings, readConfig, type Env, type Settings, type StoredConfig } from './config';
export { CliError } from './errors';
export { Output } from './output';
export { SlipwayBackend } from './iac/backend';
export { StackState } from './iac/stack-state';
export {
  DEPLOYMENT_ATTRIBUTES,
  saltOf,
  secretEnvDigest,
  type SecretEnvState,
} from './iac/attributes';
export { onlyOrg } from './iac/session';
