export * from './config-error';
export * from './env-vars';
export * from './load-config';
export { deepFreeze, type RawConfig, sectionOverrides, setPath, valueAt } from './paths';
export * from './readme-table';
export * from './run-main';
