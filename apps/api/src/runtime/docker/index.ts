export {
  DEFAULT_DOCKER_NETWORK,
  DockerRuntimeDriver,
  type DockerRuntimeOptions,
} from './docker-runtime.driver';
export { DEFAULT_READINESS_POLL_MS } from './docker-lifecycle';
export { DOCKER_LABELS } from './docker-naming';
export type { PullPolicy, RegistryAuth } from './docker-images';
