export { type BundleSummary } from './entry-policy';
export { BundleRejectedError, BundleRejection } from './errors';
export { extractBundle } from './extract';
export { inspectBundle } from './inspect';
export { type BundleLimits, DEFAULT_BUNDLE_LIMITS, formatBytes } from './limits';
export { packDirectory, type PackOptions } from './pack';
export { MAX_BUNDLE_PATH_LENGTH, normalizeBundlePath } from './paths';
