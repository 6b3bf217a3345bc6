export {
  DEFAULT_DOCKER_NETWORK,
  DEFAULT_READINESS_POLL_MS,
  DockerRuntimeDriver,
  type DockerRuntimeOptions,
} from './docker-runtime.driver';
export { DOCKER_LABELS } from './docker-naming';
export type { PullPolicy, RegistryAuth } from './docker-images';
