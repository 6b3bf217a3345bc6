export * from './insert';
export * from './table';
export * from './tables';
