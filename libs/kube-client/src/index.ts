/**
 * @slipway/kube-client: what the API's Kubernetes runtime and the builder's Kaniko driver
 * share to talk to a cluster (the builder never imports from the API): clients with a
 * per-request timeout, server-side apply of objects exactly as rendered, merge patches of
 * single fields, one error class
 * for infrastructure failures, cancellable polling that rides out transient errors, and
 * deletes that can wait for the object to be gone.
 * The stand-in API server for contract tests is `@slipway/kube-client/testing`.
 */
export {
  APPLY_CONTENT_TYPE,
  MERGE_PATCH_CONTENT_TYPE,
  ObjectClient,
  createKubeApis,
  type KubeApis,
  type KubeClientOptions,
  type RenderedObject,
} from './kube-apis';
export {
  KubernetesApiError,
  apiMessage,
  isNotFound,
  isTimeout,
  isTransient,
  kubernetesApiError,
  statusOf,
} from './kube-errors';
export {
  pollOnce,
  sleepUnlessAborted,
  untilAborted,
  type CancelledError,
  type PollOptions,
} from './polling';
export {
  deleteAndWait,
  deleteObject,
  describeObject,
  patchObject,
  refOf,
  type DeleteAndWaitOptions,
  type KindRef,
  type ObjectRef,
  type PropagationPolicy,
} from './objects';
