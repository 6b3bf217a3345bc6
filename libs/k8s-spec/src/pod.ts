/**
 * The pod template of a service: the container contract, injected env, probes, drain
 * and GPU placement. Deployment and StatefulSet share it.
 */
import { INJECTED_ENV } from '@slipway/contracts';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { IPodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import { CONTAINER_CONTRACT, restrictedSecurityContext, servicePort } from './contract';
import {
  ANNOTATIONS,
  LABELS,
  selectorLabels,
  serviceLabels,
  type ServiceObjectNames,
} from './metadata';
import type { ResolvedPlatform } from './platform';
import { containerResources, resolveResources } from './resources';
import type { ServiceSpec } from './service-spec';

/** Defaults for the startup probe; 60 × 5 s gives slow starters (model loading) 5 minutes. */
export const STARTUP_PROBE_DEFAULTS = {
  initialDelaySeconds: 0,
  periodSeconds: 5,
  timeoutSeconds: 2,
  failureThreshold: 60,
} as const;

/** `repo@digest` when the digest is known (a moved tag cannot change what runs). */
export function resolveImage(spec: ServiceSpec): string {
  if (spec.imageDigest === undefined) return spec.image;
  let name = spec.image.split('@')[0] ?? spec.image;
  if (name.lastIndexOf(':') > name.lastIndexOf('/')) name = name.slice(0, name.lastIndexOf(':'));
  return `${name}@${spec.imageDigest}`;
}

function pullPolicy(image: string): 'Always' | 'IfNotPresent' {
  if (image.includes('@')) return 'IfNotPresent';
  const tagged = image.lastIndexOf(':') > image.lastIndexOf('/');
  return !tagged || image.endsWith(':latest') ? 'Always' : 'IfNotPresent';
}

function secretRef(names: ServiceObjectNames, key: string): IEnvVar {
  return { name: key, valueFrom: { secretKeyRef: { name: names.base, key } } };
}

/** Injected variables first, then the user's; secret ones only as references. */
export function renderEnv(
  spec: ServiceSpec,
  names: ServiceObjectNames,
  platform: ResolvedPlatform,
): IEnvVar[] {
  const env: IEnvVar[] = [
    { name: INJECTED_ENV.serviceId, value: spec.service.id },
    secretRef(names, INJECTED_ENV.serviceToken),
    { name: INJECTED_ENV.otlpEndpoint, value: platform.collector.endpoint },
    secretRef(names, INJECTED_ENV.otlpHeaders),
    { name: INJECTED_ENV.otelServiceName, value: spec.service.name },
    { name: INJECTED_ENV.port, value: String(servicePort(spec)) },
  ];
  for (const entry of spec.env ?? []) {
    if (entry.name === INJECTED_ENV.port) continue; // validated to equal the port already
    env.push(
      entry.secret === true
        ? secretRef(names, entry.name)
        : { name: entry.name, value: entry.value },
    );
  }
  return env;
}

function check(path: string | undefined): Pick<IProbe, 'httpGet' | 'tcpSocket'> {
  const port = CONTAINER_CONTRACT.portName;
  return path === undefined ? { tcpSocket: { port } } : { httpGet: { path, port } };
}

export function renderProbes(
  spec: ServiceSpec,
): Pick<IContainer, 'readinessProbe' | 'livenessProbe' | 'startupProbe'> {
  const health = spec.healthCheckPath;
  const startup = { ...STARTUP_PROBE_DEFAULTS, ...spec.startupProbe };
  return {
    startupProbe: {
      ...check(startup.path ?? health),
      initialDelaySeconds: startup.initialDelaySeconds,
      periodSeconds: startup.periodSeconds,
      timeoutSeconds: startup.timeoutSeconds,
      failureThreshold: startup.failureThreshold,
    },
    readinessProbe: { ...check(health), periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 3 },
    // A TCP liveness check catches almost nothing a restart would fix, so only with a path.
    ...(health === undefined
      ? {}
      : {
          livenessProbe: {
            ...check(health),
            periodSeconds: 10,
            timeoutSeconds: 5,
            failureThreshold: 6,
          },
        }),
  };
}

/** Seconds the startup probe may take, used to size the rollout deadline. */
export function startupWindowSeconds(spec: ServiceSpec): number {
  const startup = { ...STARTUP_PROBE_DEFAULTS, ...spec.startupProbe };
  return startup.initialDelaySeconds + startup.periodSeconds * startup.failureThreshold;
}

function renderContainer(
  spec: ServiceSpec,
  names: ServiceObjectNames,
  platform: ResolvedPlatform,
): IContainer {
  const image = resolveImage(spec);
  return {
    name: CONTAINER_CONTRACT.containerName,
    image,
    imagePullPolicy: pullPolicy(image),
    ...(spec.command === undefined ? {} : { command: [...spec.command] }),
    ...(spec.args === undefined ? {} : { args: [...spec.args] }),
    ports: [
      {
        name: CONTAINER_CONTRACT.portName,
        containerPort: servicePort(spec),
        protocol: 'TCP',
      },
    ],
    env: renderEnv(spec, names, platform),
    resources: containerResources(resolveResources(spec, platform)),
    securityContext: restrictedSecurityContext(),
    volumeMounts: [
      { name: 'tmp', mountPath: CONTAINER_CONTRACT.tmpPath },
      ...(spec.volumes ?? []).map((volume) => ({ name: volume.name, mountPath: volume.mountPath })),
    ],
    ...renderProbes(spec),
    // Endpoints drop the pod while it sleeps, so no new request reaches a stopping process.
    lifecycle: { preStop: { sleep: { seconds: platform.drainSeconds } } },
    // The last log lines become the termination message: the reason a deployment failed.
    terminationMessagePolicy: 'FallbackToLogsOnError',
  };
}

export function renderPodTemplate(
  spec: ServiceSpec,
  names: ServiceObjectNames,
  platform: ResolvedPlatform,
): IPodTemplateSpec {
  const pool = spec.gpu === undefined ? undefined : platform.gpuNodePools[spec.gpu.type];
  if (spec.gpu !== undefined && pool === undefined) {
    throw new Error(`spec.gpu.type: no GPU node pool is configured for "${spec.gpu.type}"`);
  }
  const annotations: Record<string, string> = { [ANNOTATIONS.deploymentId]: spec.deploymentId };
  if (spec.restartedAt !== undefined) annotations[ANNOTATIONS.restartedAt] = spec.restartedAt;
  const pullSecret = platform.imagePullSecret;
  return {
    metadata: {
      labels: { ...serviceLabels(spec, names), [LABELS.deploymentId]: spec.deploymentId },
      annotations,
    },
    spec: {
      serviceAccountName: names.base,
      automountServiceAccountToken: false,
      // Service links would leak every other service's address into the env and slow starts.
      enableServiceLinks: false,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: CONTAINER_CONTRACT.uid,
        runAsGroup: CONTAINER_CONTRACT.gid,
        fsGroup: CONTAINER_CONTRACT.gid,
        fsGroupChangePolicy: 'OnRootMismatch',
        seccompProfile: { type: 'RuntimeDefault' },
        // With every capability dropped, a port below 1024 needs this (a safe sysctl).
        ...(servicePort(spec) < 1024
          ? { sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }] }
          : {}),
      },
      // The grace counts from the preStop hook: the drain, then SIGTERM and the service's grace.
      terminationGracePeriodSeconds:
        spec.stopGracePeriodSeconds === undefined
          ? platform.terminationGracePeriodSeconds
          : platform.drainSeconds + spec.stopGracePeriodSeconds,
      ...(pullSecret === undefined ? {} : { imagePullSecrets: [{ name: pullSecret.name }] }),
      ...(pool === undefined
        ? {}
        : {
            nodeSelector: { ...pool.nodeSelector },
            tolerations: (pool.tolerations ?? []).map((toleration) => ({ ...toleration })),
          }),
      topologySpreadConstraints: [
        {
          maxSkew: 1,
          topologyKey: 'kubernetes.io/hostname',
          whenUnsatisfiable: 'ScheduleAnyway',
          labelSelector: { matchLabels: { ...selectorLabels(spec) } },
        },
      ],
      containers: [renderContainer(spec, names, platform)],
      volumes: [
        {
          name: 'tmp',
          emptyDir: { medium: 'Memory', sizeLimit: CONTAINER_CONTRACT.tmpSize.toString() },
        },
      ],
    },
  };
}
