/**
 * @slipway/collector: the OTLP/HTTP trace receiver. `createCollector` starts one in-process
 * (tests, local dev); `main.ts` runs it as a process.
 */
export { type Collector, type CreateCollectorOptions, createCollector } from './collector';
export {
  type CollectorConfig,
  type CollectorConfigOverrides,
  LOG_LEVELS,
} from './config/config.schema';
export { ENV_VARS, type EnvVarDefinition } from './config/env-vars';
export { ConfigError, loadCollectorConfig, redactConfig } from './config/load-config';
export { type SpanRow, toSpanRows } from './otlp/span-rows';
export { SPAN_COLUMNS, insertSpanRows } from './storage/span-writer';
