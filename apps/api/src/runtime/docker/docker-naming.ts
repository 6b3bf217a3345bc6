/**
 * Names and labels of the docker runtime's objects, in one place. Docker labels use the
 * reverse-DNS style `slipway.<key>`; the builder labels the images it builds with the same
 * `slipway.service-id` key so `delete` can find them.
 */
import { createHash } from 'node:crypto';
import { MANAGED_BY } from '@slipway/k8s-spec';

export const DOCKER_LABELS = {
  managedBy: 'slipway.managed-by',
  orgId: 'slipway.org-id',
  projectId: 'slipway.project-id',
  serviceId: 'slipway.service-id',
  deploymentId: 'slipway.deployment-id',
  instanceIndex: 'slipway.instance-index',
  /** The port the container listens on: where readiness checks and the edge connect. */
  port: 'slipway.port',
  restartedAt: 'slipway.restarted-at',
  /** Hash of the create options: a retried rollout reuses a container only when it matches. */
  specHash: 'slipway.spec-hash',
  /** The installation that created it: installations sharing an engine leave others' alone. */
  installationId: 'slipway.installation-id',
  /** On volumes: which of the service's volumes, and the size it was asked for. */
  volumeName: 'slipway.volume-name',
  volumeSize: 'slipway.volume-size',
} as const;

/** Docker's own rule for container names (`[a-zA-Z0-9][a-zA-Z0-9_.-]+`). */
const CONTAINER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;
/** Kept to a DNS label so the name also works as the container's hostname. */
export const MAX_CONTAINER_NAME_LENGTH = 63;
/** Room kept for the index so every instance of a service shares one readable prefix. */
const INDEX_DIGITS = 3;

/** First 8 hex characters of an id (a UUID's first group); a hash when it has fewer. */
export function shortId(id: string): string {
  const hex = id.toLowerCase().replace(/[^0-9a-f]/g, '');
  return hex.length >= 8
    ? hex.slice(0, 8)
    : createHash('sha256').update(id).digest('hex').slice(0, 8);
}

function slug(name: string, maxLength: number): string {
  const cleaned = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-+/, '')
    .slice(0, maxLength)
    .replace(/-+$/, '');
  return cleaned === '' ? 'svc' : cleaned;
}

export interface ContainerNameParts {
  readonly serviceName: string;
  readonly serviceId: string;
  readonly deploymentId: string;
  readonly index: number;
}

/**
 * `slp-<service name>-<8 hex of service id>-<8 hex of deployment id>-<index>`: container
 * names are global in an engine, so the service id is part of it; the name is trimmed so
 * the whole stays within 63 characters.
 */
export function containerName(parts: ContainerNameParts): string {
  if (!Number.isSafeInteger(parts.index) || parts.index < 0 || parts.index >= 10 ** INDEX_DIGITS) {
    throw new RangeError(
      `instance index must be 0..${10 ** INDEX_DIGITS - 1} (got ${parts.index})`,
    );
  }
  const fixed = 'slp-'.length + 1 + 8 + 1 + 8 + 1 + INDEX_DIGITS;
  const name = slug(parts.serviceName, MAX_CONTAINER_NAME_LENGTH - fixed);
  return `slp-${name}-${shortId(parts.serviceId)}-${shortId(parts.deploymentId)}-${parts.index}`;
}

export interface VolumeOwner {
  readonly service: { readonly id: string; readonly name: string };
}

/**
 * `slipway-<service name>-<8 hex of service id>-<volume>-<ordinal>`: instance `ordinal` of
 * the service always mounts this one, whatever deployment runs there, so its data survives
 * redeploys, restarts and scaling to zero and back.
 */
export function volumeName(owner: VolumeOwner, volume: string, ordinal: number): string {
  const fixed = 'slipway-'.length + 1 + 8 + 1 + volume.length + 1 + INDEX_DIGITS;
  const name = slug(owner.service.name, Math.max(8, 100 - fixed));
  return `slipway-${name}-${shortId(owner.service.id)}-${volume}-${ordinal}`;
}

/** `filters` for listing a service's volumes. */
export function serviceVolumesFilter(serviceId: string): { label: string[] } {
  return serviceContainersFilter(serviceId);
}

/** Whether `name` could be a container name at all (anything else cannot exist). */
export function isContainerName(name: string): boolean {
  return name.length <= 128 && CONTAINER_NAME.test(name);
}

/** `filters` for listing a service's containers. */
export function serviceContainersFilter(serviceId: string): { label: string[] } {
  return {
    label: [`${DOCKER_LABELS.managedBy}=${MANAGED_BY}`, `${DOCKER_LABELS.serviceId}=${serviceId}`],
  };
}

const SET_ASIDE_PREFIX = 'slp-retired-';

/**
 * A name for a container being replaced while it still serves: it frees the instance's
 * name for the replacement, marks it for removal, and records when (base 36 ms).
 */
export function retiredContainerName(containerId: string, now = Date.now()): string {
  return `${SET_ASIDE_PREFIX}${containerId.slice(0, 12)}-${now.toString(36)}`;
}

/** Whether a container (by its engine names, `/name`) was set aside for removal. */
export function isSetAside(names: readonly string[]): boolean {
  return names.some((name) => name.replace(/^\//, '').startsWith(SET_ASIDE_PREFIX));
}

/** When a set-aside container was renamed (epoch ms), from its name. */
export function setAsideAt(names: readonly string[]): number | undefined {
  for (const name of names) {
    const match = /^\/?slp-retired-[0-9a-f]{12}-([0-9a-z]+)$/.exec(name);
    if (match?.[1] !== undefined) return parseInt(match[1], 36);
  }
  return undefined;
}
