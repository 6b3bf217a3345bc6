export {
  KubernetesRuntimeDriver,
  type KubernetesRuntimeOptions,
} from './kubernetes-runtime.driver';
export { KubernetesApiError } from './kube-errors';
