export {
  KubernetesRuntimeDriver,
  type KubernetesRuntimeOptions,
} from './kubernetes-runtime.driver';
export { KubernetesApiError } from '@slipway/kube-client';
