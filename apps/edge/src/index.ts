/**
 * @slipway/edge: the data plane. `createEdge` starts one in-process (tests, local dev);
 * `main.ts` runs it as a process.
 */
export { type CreateEdgeOptions, type Edge, createEdge } from './edge';
export { type EdgeConfig, type EdgeConfigOverrides, LOG_LEVELS } from './config/config.schema';
export { ENV_VARS, type EnvVarDefinition } from './config/env-vars';
export { ConfigError, loadEdgeConfig, redactConfig } from './config/load-config';
export { type Endpoint, type Route, RouteTable } from './routing/route-table';
