/**
 * What the deploy processor and the instance/log routes need from a runtime. Two drivers
 * implement it: `docker` (one machine, dockerode) and `kubernetes` (server-side apply of
 * `@slipway/k8s-spec` objects); `SLIPWAY_RUNTIME` picks one at boot.
 */
import type { Readable } from 'node:stream';
import type { InstanceStateName } from '@slipway/contracts';
import type { Identity, ServiceSpec } from '@slipway/k8s-spec';

/** Identifies a service's objects in the runtime (ids in labels, names in object names). */
export interface ServiceRef {
  readonly org: Identity;
  readonly project: Identity;
  readonly service: Identity;
}

/** Where the edge sends a service's traffic (container IP or cluster Service), port 8080. */
export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

/** The states the API reports for an instance (`libs/contracts`). */
export type InstanceState = InstanceStateName;

export interface Instance {
  /** Container or pod name: what `GET /pods/{pod}/logs` takes. */
  readonly name: string;
  readonly deploymentId: string | null;
  readonly state: InstanceState;
  /** Passing its readiness check (or, on docker, running and part of the live rollout). */
  readonly ready: boolean;
  readonly restarts: number;
  readonly startedAt: Date | null;
  /** Why it is not running, when the runtime says (`CrashLoopBackOff: ...`, `exit code 1`). */
  readonly message: string | null;
}

export interface RolloutOptions {
  /** Aborted when a newer deployment supersedes this one: stop waiting, clean up, throw. */
  readonly signal: AbortSignal;
  /** How long instances may take to become ready before the rollout fails. */
  readonly readinessTimeoutMs: number;
  /** Progress lines for the deployment's event log (`2/2 instances ready`). */
  readonly onProgress?: (message: string) => void;
  /**
   * Points the route at exactly `endpoints` now and resolves once the drain has passed.
   * Stateful services are replaced one instance at a time (a volume has one writer), each
   * taken out of the route before it stops; without it they are replaced unrouted.
   */
  readonly reroute?: (endpoints: readonly Endpoint[]) => Promise<void>;
}

export interface RolloutResult {
  /** Ready endpoints after the rollout: what the route now points at. */
  readonly endpoints: readonly Endpoint[];
  /**
   * Instances that left the traffic set but still run. Once the route without them has
   * committed and the drain period passed, `retire` stops them (and removes the replaced
   * ones). Runtimes that drain by themselves (Kubernetes) leave it out.
   */
  readonly retiring?: readonly string[];
}

/**
 * The rollout did not reach readiness. `reason` is shown to users as the deployment's
 * `failure_reason`: what happened and the evidence (exit code, last log lines, events).
 * The previous deployment's instances are left serving.
 */
export class RolloutFailedError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'RolloutFailedError';
  }
}

/** A newer deployment superseded this rollout (its signal was aborted). */
export class RolloutCancelledError extends Error {
  constructor() {
    super('superseded by a newer deployment');
    this.name = 'RolloutCancelledError';
  }
}

/** The named instance does not exist or does not belong to the service. */
export class InstanceNotFoundError extends Error {
  constructor(readonly instance: string) {
    super(`instance ${instance} not found`);
    this.name = 'InstanceNotFoundError';
  }
}

export interface LogOptions {
  /** Lines of history before following. */
  readonly tailLines: number;
  readonly follow: boolean;
  /** Aborted when the client goes away; the stream then ends and resources are freed. */
  readonly signal: AbortSignal;
}

/** Which lines `serviceLogs` returns: a time window, a substring, at most `limit` of the newest. */
export interface ServiceLogQuery {
  /** Lines at or after this time. */
  readonly start?: Date;
  /** Lines before this time. */
  readonly end?: Date;
  /** Case-sensitive substring the line must contain. */
  readonly filter?: string;
  /** At most this many lines: the newest of the window. */
  readonly limit: number;
  readonly signal: AbortSignal;
}

/** One log line of one instance, as the runtime timestamped it. */
export interface ServiceLogLine {
  readonly instance: string;
  readonly timestamp: Date;
  readonly message: string;
}

/** What a service's running instances use right now, summed over them. */
export interface ResourceUsage {
  /** CPU time per second: 1 is one core busy. */
  readonly cpuCores: number;
  /** Working set (what the runtime would not reclaim), in bytes. */
  readonly memoryBytes: number;
}

/** A volume cannot be backed up or restored; the message says why and is shown as is. */
export class VolumeTransferError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VolumeTransferError';
  }
}

/** The runtime cannot report usage; the message says why and is shown to users as is. */
export class UsageUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageUnavailableError';
  }
}

/** One instance this installation runs, as the reaper needs to judge it. */
export interface OwnedInstance {
  readonly id: string;
  readonly serviceId: string;
  readonly deploymentId: string | null;
  /** Its address on the service network (what routes list), while it has one. */
  readonly address: string | null;
  /** When a change set it aside for removal, if one did. */
  readonly setAsideAt: Date | null;
  readonly createdAt: Date;
}

export interface RuntimeDriver {
  readonly kind: 'docker' | 'kubernetes';
  /**
   * Rolls the service to `spec` without dropping requests: new instances start and pass
   * readiness before old ones stop. Resolves once every new instance is ready, the old ones
   * still running (`retiring`); throws RolloutFailedError (old instances keep serving) or
   * RolloutCancelledError.
   */
  rollout(spec: ServiceSpec, options: RolloutOptions): Promise<RolloutResult>;
  /** The service's instances, newest first. */
  instances(ref: ServiceRef): Promise<Instance[]>;
  /**
   * Sets the number of instances of the deployment `spec` describes to `spec.replicas`
   * without touching the others: added ones pass readiness before the route includes them,
   * removed ones are answered as `retiring`. 0 pauses: every instance is `retiring`, and
   * `retire` stops it without deleting anything (containers, StatefulSet volumes), so
   * scaling up again resumes them.
   * Throws RolloutFailedError (new instances did not become ready; the others keep serving).
   */
  scale(spec: ServiceSpec, options: RolloutOptions): Promise<RolloutResult>;
  /**
   * Replaces every instance of `spec`'s deployment, every replacement ready before the
   * instance it replaces leaves the route (docker: all at once, the old ones `retiring`;
   * Kubernetes: the restart annotation on the pod template with `maxUnavailable: 0`).
   */
  restart(spec: ServiceSpec, options: RolloutOptions): Promise<RolloutResult>;
  /**
   * Stops instances a change answered as `retiring`, once no route includes them and they
   * drained; those another instance replaced are removed, paused ones kept. Ids that are
   * gone or not the service's are ignored, so a retried retirement is harmless.
   */
  retire(ref: ServiceRef, instances: readonly string[]): Promise<void>;
  /**
   * Every instance of this installation, whatever service it belongs to (docker); none where
   * an orchestrator owns them (Kubernetes deletes a workload's pods with it).
   */
  ownedInstances(): Promise<OwnedInstance[]>;
  /** Stops (with the grace period) and removes instances that no deployment owns. */
  reap(instances: readonly string[]): Promise<void>;
  /** Resolves when the runtime answers; throws with a message naming what is unreachable. */
  ping(): Promise<void>;
  /** Ready endpoints now (used to resync the route). */
  endpoints(ref: ServiceRef): Promise<Endpoint[]>;
  /**
   * Routes exactly these custom domains of the service to the edge now, without waiting for
   * a rollout (Kubernetes: one Ingress per domain; those of removed domains are deleted).
   * The docker runtime has nothing to do: its edge routes domains from the route table.
   */
  applyDomains(ref: ServiceRef, domains: readonly string[]): Promise<void>;
  /** The service's volumes, one per declared volume and instance ordinal ever started. */
  volumes(ref: ServiceRef): Promise<ServiceVolume[]>;
  /**
   * A tar of one volume's content (owners kept), read with the help of `image` (the
   * service's, present where it runs); throws VolumeTransferError when it cannot be read.
   */
  exportVolume(volume: ServiceVolume, image: string): Promise<NodeJS.ReadableStream>;
  /** Writes a tar made by exportVolume over the volume's content (files added since stay). */
  importVolume(volume: ServiceVolume, image: string, archive: NodeJS.ReadableStream): Promise<void>;
  /** Plain-text log lines of one instance; throws InstanceNotFoundError. */
  logs(ref: ServiceRef, instance: string, options: LogOptions): Promise<Readable>;
  /** Log lines of every instance of the service (stopped ones too), oldest first. */
  serviceLogs(ref: ServiceRef, query: ServiceLogQuery): Promise<ServiceLogLine[]>;
  /** CPU and memory of the running instances now (0 with none); throws UsageUnavailableError. */
  usage(ref: ServiceRef): Promise<ResourceUsage>;
  /**
   * Removes every instance and object of the service (idempotent), and the engine's copies of
   * `builtImages` (the images Slipway built for it) where the runtime keeps any.
   */
  delete(ref: ServiceRef, builtImages?: readonly string[], options?: DeleteOptions): Promise<void>;
}

export interface DeleteOptions {
  /** Stop at once (SIGKILL, no grace); otherwise each instance gets its stop grace period. */
  readonly force?: boolean;
  /** Leave the service's volumes (and their data) in place. */
  readonly keepVolumes?: boolean;
}

/** One instance's disk of one of the service's volumes. */
export interface ServiceVolume {
  /** The declared volume (`data`). */
  readonly name: string;
  /** The instance it belongs to: instance N always mounts ordinal N's volumes. */
  readonly ordinal: number;
  /** As declared (`10Gi`), or null when the runtime does not record it. */
  readonly size: string | null;
  /** What it holds now, where the runtime can tell. */
  readonly usedBytes: number | null;
  /** A running instance mounts it. */
  readonly attached: boolean;
  /** The runtime's own name (docker volume, PersistentVolumeClaim). */
  readonly runtimeName: string;
}

export const RUNTIME_DRIVER = Symbol('RUNTIME_DRIVER');
