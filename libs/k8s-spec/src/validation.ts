/**
 * Validation of a ServiceSpec before anything is rendered. Checks run on runtime values,
 * not just types, because specs arrive from JSON through the API.
 */
import {
  ACCESS_TYPES,
  CONTAINER_PORT,
  GPU_COUNTS,
  GPU_TYPES,
  INJECTED_ENV,
  SERVICE_PORT_RANGE,
  TOKEN_PREFIX,
} from '@slipway/contracts';
import { Problems, SpecValidationError, type SpecProblem } from './errors';
import { validatePlatformOptions, type PlatformOptions } from './platform';
import { Cpu, Size } from './quantities';
import {
  dns1035Label,
  dnsLabel,
  dnsSubdomain,
  domainName,
  envVarName,
  httpPath,
  imageDigest,
  imageReference,
  integerIn,
  isoTimestamp,
  labelKey,
  labelValue,
  mountPath,
  integerRule,
  nonEmptyLabelValue,
  oneOf,
  stringList,
} from './rules';
import {
  MAX_REPLICAS,
  type EnvVarSpec,
  type ResourceList,
  type ServiceSpec,
  type VolumeSpec,
} from './service-spec';

/** Label and annotation domains the platform owns; user labels may not use them. */
export const RESERVED_LABEL_DOMAINS = ['slipway.dev', 'kubernetes.io', 'k8s.io'] as const;
/** Keeps the Secret well under the 1 MiB object limit of etcd. */
const MAX_SECRET_BYTES = 512 * 1024;
const MAX_ENV_VALUE_BYTES = 32 * 1024;
const MAX_CPU = Cpu.cores(128);
const MAX_MEMORY = Size.gibibytes(2048);
const MIN_VOLUME = Size.gibibytes(1);
const MAX_VOLUME = Size.gibibytes(16 * 1024);
const RESERVED_ENV = new Set<string>(Object.values(INJECTED_ENV));

const isRecord = (value: unknown): value is Record<string, unknown> => isObject(value);
/** Same check without narrowing, for values whose declared type should be kept. */
const isObject = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function identity(problems: Problems, path: string, value: unknown, name: typeof dnsLabel): void {
  if (!isRecord(value)) return problems.add(path, 'must be an object with id and name');
  problems.add(`${path}.id`, nonEmptyLabelValue(value.id));
  problems.add(`${path}.name`, name(value.name));
}

function serviceToken(value: unknown): string | undefined {
  const prefix = TOKEN_PREFIX.serviceToken;
  if (
    typeof value !== 'string' ||
    !value.startsWith(prefix) ||
    !/^[\x21-\x7e]{20,512}$/.test(value)
  ) {
    return `must be a service token: "${prefix}" then printable characters, 20-512 in all`;
  }
  return undefined;
}

function validateEnv(problems: Problems, spec: ServiceSpec): void {
  const env = spec.env;
  const port = String(spec.port ?? CONTAINER_PORT);
  if (env === undefined) return;
  if (!Array.isArray(env)) return problems.add('spec.env', 'must be a list');
  if (env.length > 256)
    problems.add('spec.env', `must have at most 256 entries (got ${env.length})`);
  const seen = new Set<string>();
  let secretBytes = 0;
  env.forEach((entry: EnvVarSpec, index) => {
    const path = `spec.env[${index}]`;
    if (!isRecord(entry)) return problems.add(path, 'must be an object with name and value');
    problems.add(`${path}.name`, envVarName(entry.name));
    if (seen.has(entry.name)) problems.add(`${path}.name`, `duplicates "${entry.name}"`);
    seen.add(entry.name);
    if (entry.name === INJECTED_ENV.port) {
      // Users often pass PORT=8080 themselves (the seeds do); anything else breaks the contract.
      if (entry.value !== port || entry.secret === true) {
        problems.add(
          `${path}.value`,
          `PORT is set by Slipway to the service's port, ${port} (got "${entry.value}"); set the port instead`,
        );
      }
    } else if (RESERVED_ENV.has(entry.name) || entry.name.startsWith('SLIPWAY_')) {
      problems.add(`${path}.name`, `"${entry.name}" is injected by Slipway and cannot be set`);
    }
    if (typeof entry.value !== 'string') {
      return problems.add(`${path}.value`, 'must be a string');
    }
    const bytes = Buffer.byteLength(entry.value);
    if (bytes > MAX_ENV_VALUE_BYTES) {
      problems.add(`${path}.value`, `must be at most ${MAX_ENV_VALUE_BYTES} bytes (got ${bytes})`);
    }
    if (entry.secret !== undefined && typeof entry.secret !== 'boolean') {
      problems.add(`${path}.secret`, 'must be a boolean');
    }
    if (entry.secret === true) secretBytes += bytes;
  });
  if (secretBytes > MAX_SECRET_BYTES) {
    problems.add(
      'spec.env',
      `secret values must total at most ${MAX_SECRET_BYTES} bytes (got ${secretBytes})`,
    );
  }
}

function validateResourceList(
  problems: Problems,
  path: string,
  list: ResourceList | undefined,
): void {
  if (list === undefined) return;
  if (!isObject(list)) return problems.add(path, 'must be an object with cpu and/or memory');
  if (list.cpu !== undefined) {
    if (!(list.cpu instanceof Cpu))
      problems.add(`${path}.cpu`, 'must be a Cpu (e.g. Cpu.parse("500m"))');
    else if (list.cpu.compare(MAX_CPU) > 0) {
      problems.add(
        `${path}.cpu`,
        `must be at most ${MAX_CPU.toString()} cores (got ${list.cpu.toString()})`,
      );
    }
  }
  if (list.memory !== undefined) {
    if (!(list.memory instanceof Size)) {
      problems.add(`${path}.memory`, 'must be a Size (e.g. Size.parse("512Mi"))');
    } else if (list.memory.compare(MAX_MEMORY) > 0) {
      problems.add(
        `${path}.memory`,
        `must be at most ${MAX_MEMORY.toString()} (got ${list.memory.toString()})`,
      );
    }
  }
}

function validateResources(problems: Problems, spec: ServiceSpec): void {
  const resources = spec.resources;
  if (resources === undefined) return;
  if (!isObject(resources)) return problems.add('spec.resources', 'must be an object');
  validateResourceList(problems, 'spec.resources.requests', resources.requests);
  validateResourceList(problems, 'spec.resources.limits', resources.limits);
  const { requests, limits } = resources;
  for (const key of ['cpu', 'memory'] as const) {
    const request = requests?.[key];
    const limit = limits?.[key];
    if (request instanceof Cpu && limit instanceof Cpu && request.compare(limit) > 0) {
      problems.add(
        `spec.resources.requests.${key}`,
        `must be ≤ limits.${key} (got ${request.toString()} > ${limit.toString()})`,
      );
    }
    if (request instanceof Size && limit instanceof Size && request.compare(limit) > 0) {
      problems.add(
        `spec.resources.requests.${key}`,
        `must be ≤ limits.${key} (got ${request.toString()} > ${limit.toString()})`,
      );
    }
  }
}

function validateScaling(problems: Problems, spec: ServiceSpec): void {
  if (spec.gpu !== undefined) {
    if (!isRecord(spec.gpu)) problems.add('spec.gpu', 'must be an object with type and count');
    else {
      problems.add('spec.gpu.type', oneOf(GPU_TYPES)(spec.gpu.type));
      problems.optional('spec.gpu.count', spec.gpu.count, oneOf(GPU_COUNTS));
    }
  }
  problems.optional('spec.replicas', spec.replicas, integerRule(0, MAX_REPLICAS));
  if (spec.replicas !== undefined && spec.autoscaling !== undefined) {
    problems.add('spec.replicas', 'must not be set together with spec.autoscaling');
  }
  const scaling = spec.autoscaling;
  if (scaling === undefined) return;
  if (!isRecord(scaling)) return problems.add('spec.autoscaling', 'must be an object');
  const minProblem = integerIn(scaling.minReplicas, 0, MAX_REPLICAS);
  const maxProblem = integerIn(scaling.maxReplicas, 1, MAX_REPLICAS);
  problems.add('spec.autoscaling.minReplicas', minProblem);
  problems.add('spec.autoscaling.maxReplicas', maxProblem);
  if (
    minProblem === undefined &&
    maxProblem === undefined &&
    scaling.minReplicas > scaling.maxReplicas
  ) {
    problems.add(
      'spec.autoscaling.minReplicas',
      `must be ≤ maxReplicas (got ${scaling.minReplicas} > ${scaling.maxReplicas})`,
    );
  }
  const path = 'spec.autoscaling';
  problems.optional(
    `${path}.targetCpuUtilization`,
    scaling.targetCpuUtilization,
    integerRule(1, 100),
  );
  problems.optional(
    `${path}.targetGpuUtilization`,
    scaling.targetGpuUtilization,
    integerRule(10, 95),
  );
  if (scaling.targetGpuUtilization !== undefined && spec.gpu === undefined) {
    problems.add(`${path}.targetGpuUtilization`, 'needs spec.gpu');
  }
  problems.optional(`${path}.targetConcurrency`, scaling.targetConcurrency, integerRule(1, 10_000));
}

function validateProbes(problems: Problems, spec: ServiceSpec): void {
  problems.optional(
    'spec.port',
    spec.port,
    integerRule(SERVICE_PORT_RANGE.min, SERVICE_PORT_RANGE.max),
  );
  problems.optional('spec.healthCheckPath', spec.healthCheckPath, httpPath);
  problems.optional(
    'spec.stopGracePeriodSeconds',
    spec.stopGracePeriodSeconds,
    integerRule(1, 300),
  );
  const probe = spec.startupProbe;
  if (probe === undefined) return;
  if (!isRecord(probe)) return problems.add('spec.startupProbe', 'must be an object');
  problems.optional('spec.startupProbe.path', probe.path, httpPath);
  const ranges = {
    initialDelaySeconds: [0, 3600],
    periodSeconds: [1, 300],
    timeoutSeconds: [1, 60],
    failureThreshold: [1, 1000],
  } as const;
  for (const [key, [min, max]] of Object.entries(ranges)) {
    problems.optional(`spec.startupProbe.${key}`, probe[key], integerRule(min, max));
  }
}

function volumeNameClash(name: string, seen: ReadonlySet<string>): string | undefined {
  if (name === 'tmp') return 'is reserved for the /tmp volume';
  return seen.has(name) ? `duplicates "${name}"` : undefined;
}

function validateVolumes(problems: Problems, volumes: readonly VolumeSpec[] | undefined): void {
  if (volumes === undefined) return;
  if (!Array.isArray(volumes)) return problems.add('spec.volumes', 'must be a list');
  if (volumes.length > 8)
    problems.add('spec.volumes', `must have at most 8 entries (got ${volumes.length})`);
  const names = new Set<string>();
  const paths: string[] = [];
  volumes.forEach((volume: VolumeSpec, index) => {
    const path = `spec.volumes[${index}]`;
    if (!isRecord(volume))
      return problems.add(path, 'must be an object with name, mountPath and size');
    problems.add(`${path}.name`, dnsLabel(volume.name) ?? volumeNameClash(volume.name, names));
    names.add(volume.name);
    const pathProblem = mountPath(volume.mountPath);
    problems.add(`${path}.mountPath`, pathProblem);
    if (pathProblem === undefined) {
      const clash = paths.find(
        (other) =>
          `${volume.mountPath}/`.startsWith(`${other}/`) ||
          `${other}/`.startsWith(`${volume.mountPath}/`),
      );
      if (clash !== undefined) problems.add(`${path}.mountPath`, `overlaps "${clash}"`);
      paths.push(volume.mountPath);
    }
    if (!(volume.size instanceof Size))
      problems.add(`${path}.size`, 'must be a Size (e.g. Size.gibibytes(10))');
    else if (volume.size.compare(MIN_VOLUME) < 0 || volume.size.compare(MAX_VOLUME) > 0) {
      problems.add(`${path}.size`, `must be in 1Gi..16Ti (got ${volume.size.toString()})`);
    }
    problems.optional(`${path}.storageClassName`, volume.storageClassName, dnsSubdomain);
  });
}

function validateLabels(problems: Problems, labels: ServiceSpec['labels']): void {
  if (labels === undefined) return;
  if (!isRecord(labels)) return problems.add('spec.labels', 'must be an object of strings');
  const entries = Object.entries(labels);
  if (entries.length > 32)
    problems.add('spec.labels', `must have at most 32 entries (got ${entries.length})`);
  for (const [key, value] of entries) {
    const path = `spec.labels[${JSON.stringify(key)}]`;
    const keyProblem = labelKey(key);
    problems.add(path, keyProblem);
    const domain = key.includes('/') ? key.slice(0, key.indexOf('/')) : undefined;
    if (keyProblem === undefined && domain !== undefined) {
      const reserved = RESERVED_LABEL_DOMAINS.find((d) => domain === d || domain.endsWith(`.${d}`));
      if (reserved !== undefined) problems.add(path, `uses the reserved prefix "${reserved}"`);
    }
    problems.add(path, labelValue(value));
  }
}

function validateDomains(problems: Problems, domains: ServiceSpec['customDomains']): void {
  if (domains === undefined) return;
  const listProblem = stringList(domains, 20);
  if (listProblem !== undefined) return problems.add('spec.customDomains', listProblem);
  const seen = new Set<string>();
  domains.forEach((domain, index) => {
    problems.add(
      `spec.customDomains[${index}]`,
      domainName(domain) ?? (seen.has(domain) ? `duplicates "${domain}"` : undefined),
    );
    seen.add(domain);
  });
}

/**
 * Every problem with `spec` (empty when it is valid). With `platform`, also checks what
 * depends on it: a GPU type needs a configured node pool.
 */
export function validateServiceSpec(
  spec: ServiceSpec,
  platform?: PlatformOptions,
): readonly SpecProblem[] {
  const problems = new Problems();
  if (!isRecord(spec)) {
    problems.add('spec', 'must be an object');
    return problems.all;
  }
  identity(problems, 'spec.org', spec.org, dnsLabel);
  identity(problems, 'spec.project', spec.project, dnsLabel);
  identity(problems, 'spec.service', spec.service, dns1035Label);
  problems.add('spec.deploymentId', nonEmptyLabelValue(spec.deploymentId));
  problems.add('spec.image', imageReference(spec.image));
  problems.optional('spec.imageDigest', spec.imageDigest, imageDigest);
  problems.optional('spec.command', spec.command, (list) => stringList(list, 64));
  problems.optional('spec.args', spec.args, (list) => stringList(list, 256));
  problems.add('spec.serviceToken', serviceToken(spec.serviceToken));
  problems.optional('spec.resourceProfileId', spec.resourceProfileId, nonEmptyLabelValue);
  validateEnv(problems, spec);
  validateResources(problems, spec);
  validateScaling(problems, spec);
  validateProbes(problems, spec);
  validateVolumes(problems, spec.volumes);
  validateDomains(problems, spec.customDomains);
  problems.optional('spec.accessType', spec.accessType, oneOf(ACCESS_TYPES));
  validateLabels(problems, spec.labels);
  problems.optional('spec.restartedAt', spec.restartedAt, isoTimestamp);
  if (platform !== undefined) {
    const pools = platform.gpuNodePools ?? {};
    if (
      isRecord(spec.gpu) &&
      (GPU_TYPES as readonly unknown[]).includes(spec.gpu.type) &&
      pools[spec.gpu.type] === undefined
    ) {
      const configured = Object.keys(pools).join(', ') || 'none';
      problems.add(
        'spec.gpu.type',
        `no GPU node pool is configured for "${spec.gpu.type}" (configured: ${configured})`,
      );
    }
  }
  return problems.all;
}

/** Throws a SpecValidationError listing every problem with the spec or the platform options. */
export function assertValidServiceSpec(spec: ServiceSpec, platform: PlatformOptions): void {
  const problems = [...validatePlatformOptions(platform), ...validateServiceSpec(spec, platform)];
  if (problems.length > 0) throw new SpecValidationError(problems);
}
