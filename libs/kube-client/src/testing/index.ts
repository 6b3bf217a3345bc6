/**
 * @slipway/kube-client/testing: a stand-in Kubernetes API server and helpers to play
 * controllers inside it, for contract tests where no cluster runs. Tests only: production
 * code imports `@slipway/kube-client`.
 */
export { onEachRead, putPod, waitFor, type PodState, type WatchedObject } from './controllers';
export { statusReply } from './admission';
export {
  FakeKubeApi,
  type Handler,
  type KubeObject,
  type RecordedRequest,
  type Reply,
} from './fake-kube-api';
export { grantedBy, permissionOf } from './rbac';
export { RESOURCES, objectPath, type Resource } from './resources';
export { schemaProblems } from './schema';
export {
  TEST_KUBECONFIG_ENV,
  clusterKind,
  endClusterTest,
  eventually,
  loadTestCluster,
  testKubeconfigPath,
  type ClusterKind,
} from './test-cluster';
