/**
 * The deploy body's settings from `service deploy` flags (the Dynamiq CLI's names), checked
 * before anything is packed or sent.
 */
import { type Schemas } from './client';
import { CliError, UsageError } from './errors';

type EnvVar = Schemas['EnvVarDto'];
type Settings = Omit<Schemas['ImageDeployDto'], 'image'>;

export interface DeploySettingsFlags {
  env?: string[];
  envSecret?: string[];
  replicas?: number;
  healthCheckPath?: string;
  port?: number;
  stopGracePeriod?: number;
  resourceProfile?: string;
  command?: string[];
  args?: string[];
  cpuRequests?: string;
  memoryRequests?: string;
  cpuLimits?: string;
  memoryLimits?: string;
  minReplicas?: number;
  maxReplicas?: number;
  targetCpuUtilization?: number;
  targetConcurrency?: number;
  idleTimeout?: number;
  volume?: string[];
}

/** Commander collector for a repeatable flag: `--args a --args b` is [a, b]. */
export function repeatable(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** `--env A 1 --env B 2` arrives as [A, 1, B, 2]: pair them up. */
export function envPairs(flag: string, values: readonly string[], secret: boolean): EnvVar[] {
  if (values.length % 2 !== 0) {
    throw new UsageError(`${flag} takes two values, NAME and VALUE (got "${values.join(' ')}")`);
  }
  const pairs: EnvVar[] = [];
  for (let i = 0; i < values.length; i += 2) {
    pairs.push({ name: values[i] ?? '', value: values[i + 1] ?? '', secret });
  }
  return pairs;
}

/** `--volume data:/var/lib/data:10Gi`: a volume each instance gets its own disk of. */
export function volumeFlag(value: string): Schemas['VolumeDto'] {
  const [name, mountPath, size, ...rest] = value.split(':');
  if (!name || !mountPath || !size || rest.length > 0) {
    throw new UsageError(
      `--volume takes NAME:MOUNT_PATH:SIZE, such as data:/var/lib/data:10Gi (got "${value}")`,
    );
  }
  return { name, mount_path: mountPath, size };
}

function quantities(cpu: string | undefined, memory: string | undefined) {
  if (cpu === undefined && memory === undefined) return undefined;
  return { ...(cpu !== undefined && { cpu }), ...(memory !== undefined && { memory }) };
}

function resources(flags: DeploySettingsFlags): Schemas['ResourcesDto'] | undefined {
  const requests = quantities(flags.cpuRequests, flags.memoryRequests);
  const limits = quantities(flags.cpuLimits, flags.memoryLimits);
  if (!requests && !limits) return undefined;
  return { ...(requests && { requests }), ...(limits && { limits }) };
}

function autoscaling(flags: DeploySettingsFlags): Schemas['AutoscalingDto'] | undefined {
  const { minReplicas: min, maxReplicas: max, targetCpuUtilization: target } = flags;
  const { targetConcurrency: concurrency, idleTimeout: idle } = flags;
  const given = [min, max, target, concurrency, idle].some((value) => value !== undefined);
  if (!given) return undefined;
  if (min === undefined || max === undefined) {
    throw new UsageError('autoscaling needs both --min-replicas and --max-replicas');
  }
  if (min > max) {
    throw new UsageError(`--min-replicas (${min}) must not exceed --max-replicas (${max})`);
  }
  if (flags.replicas !== undefined) {
    throw new UsageError('--replicas is a fixed count: not with --min-replicas/--max-replicas');
  }
  // The API refuses it too; saying so here names the flag and sends nothing.
  if (idle !== undefined && min !== 0) {
    throw new UsageError(
      `--idle-timeout applies only with --min-replicas 0, a service that may sleep (got --min-replicas ${min})`,
    );
  }
  return {
    min_replicas: min,
    max_replicas: max,
    ...(target !== undefined && {
      metrics: [
        {
          type: 'resource',
          resource: { name: 'cpu', target: { type: 'utilization', average_utilization: target } },
        },
      ],
    }),
    ...(concurrency !== undefined && { target_concurrency: concurrency }),
    ...(idle !== undefined && { idle_timeout_seconds: idle }),
  };
}

/**
 * Everything of the deploy body but the image or docker build. The resource profile is the
 * flag's, else the one `slipway resource-profile set` chose.
 */
export function deploySettings(flags: DeploySettingsFlags, currentProfile?: string): Settings {
  const env = [
    ...envPairs('--env', flags.env ?? [], false),
    ...envPairs('--env-secret', flags.envSecret ?? [], true),
  ];
  const profile = flags.resourceProfile ?? currentProfile;
  const sized = resources(flags);
  const scaling = autoscaling(flags);
  return {
    ...(env.length > 0 && { env }),
    ...(flags.replicas !== undefined && { replicas: flags.replicas }),
    ...(flags.healthCheckPath !== undefined && { health_check_path: flags.healthCheckPath }),
    ...(flags.port !== undefined && { port: flags.port }),
    ...(flags.stopGracePeriod !== undefined && {
      stop_grace_period_seconds: flags.stopGracePeriod,
    }),
    ...(profile !== undefined && { resource_profile_id: profile }),
    ...(flags.command !== undefined && { command: flags.command }),
    ...(flags.args !== undefined && { args: flags.args }),
    ...(sized && { resources: sized }),
    ...(scaling && { autoscaling: scaling }),
    ...(flags.volume !== undefined && { volumes: flags.volume.map(volumeFlag) }),
  };
}

export const DEFAULT_MAX_UPLOAD_MB = 100;

/** The packed source must fit the cap; the message names the flag that raises it. */
export function checkUploadSize(sizeBytes: number, maxMb: number): void {
  if (sizeBytes > maxMb * 1024 * 1024) {
    const size = (sizeBytes / (1024 * 1024)).toFixed(1);
    throw new CliError(
      `the packed source is ${size} MiB, above the ${maxMb} MiB upload limit: leave out what the build does not need with .dockerignore, or raise the limit with --max-upload-mb`,
    );
  }
}
