export * from './api';
export * from './env';
export * from './errors';
export * from './tokens';
export * from './channels';
export * from './jobs';
export * from './queues';
export * from './telemetry';
