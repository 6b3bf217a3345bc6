/**
 * @slipway/k8s-spec: pure functions from a Slipway service or build spec to Kubernetes
 * objects. No I/O; callers apply the objects (server-side apply, field manager `slipway`).
 */
export {
  BUILD_POD_SECURITY_EXCEPTION,
  DEFAULT_BUILD_LIMITS,
  DEFAULT_BUILD_NAMESPACE,
  DEFAULT_BUILD_REQUESTS,
  DEFAULT_FETCHER_IMAGE,
  DEFAULT_KANIKO_IMAGE,
  KANIKO_BUILD_CONTEXT_DIR,
  KANIKO_CAPABILITIES,
  buildJobName,
  kanikoArgs,
  renderBuildJob,
  renderBuildNamespace,
  type BuildOptions,
  type BuildResources,
  type BuildSpec,
} from './build-job';
export { CONTAINER_CONTRACT, GPU_RESOURCE, servicePort } from './contract';
export { SpecValidationError, type SpecProblem } from './errors';
export { DEFAULT_CPU_UTILIZATION } from './hpa';
export {
  ANNOTATIONS,
  LABELS,
  MANAGED_BY,
  namespaceName,
  type ServiceObjectNames,
} from './metadata';
export {
  MAX_NAME_LENGTH,
  MAX_STATEFULSET_NAME_LENGTH,
  resourceName,
  type ResourceNameOptions,
} from './naming';
export { podSecurityLabels, type PodSecurityLevel } from './namespace';
export { NETWORK_POLICY_NAMES } from './network-policy';
export {
  DEFAULT_RESOURCES,
  validatePlatformOptions,
  type CollectorOptions,
  type DefaultResources,
  type EdgeOptions,
  type GpuNodePool,
  type IngressOptions,
  type Labels,
  type PeerSelector,
  type PlatformOptions,
} from './platform';
export { STARTUP_PROBE_DEFAULTS, resolveImage } from './pod';
export { Cpu, QuantityError, Size } from './quantities';
export {
  SERVICE_OBJECT_KINDS,
  renderDomainIngresses,
  renderServiceObjects,
  serviceLabelSelector,
  serviceNames,
  type ServiceDomains,
  type ServiceObject,
} from './render';
export {
  COLLECTOR_APP_LABEL,
  COLLECTOR_SERVICE_NAME,
  EDGE_APP_LABEL,
  EDGE_SERVICE_NAME,
  IMAGE_PULL_POLICIES,
  NODE_PORT_RANGE,
  renderPlatformObjects,
  validatePlatformManifestOptions,
  type ImagePullPolicy,
  type PlatformManifestOptions,
  type PlatformObject,
} from './platform-manifests';
export {
  API_PERMISSIONS,
  BUILDER_NAMESPACE_PERMISSIONS,
  BUILDER_PERMISSIONS,
  renderApiClusterRole,
  type Permission,
  type Verb,
} from './rbac';
export { scalingPlan, type ScalingPlan } from './scaling';
export {
  MAX_REPLICAS,
  type AutoscalingSpec,
  type EnvVarSpec,
  type GpuCount,
  type GpuSpec,
  type GpuType,
  type Identity,
  type ResourceList,
  type ResourcesSpec,
  type ServiceSpec,
  type StartupProbeSpec,
  type VolumeSpec,
} from './service-spec';
export { RESERVED_LABEL_DOMAINS, assertValidServiceSpec, validateServiceSpec } from './validation';
export { isStateful, restartPatch } from './workload';
