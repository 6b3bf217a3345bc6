export * from './apply';
export * from './errors';
export * from './plan';
export * from './render';
export * from './resources';
export * from './stack';
