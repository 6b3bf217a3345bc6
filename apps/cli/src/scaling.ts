/**
 * How the CLI shows scaling: a deployment's autoscaling, a scale or restart with who decided
 * it and why, and the statuses of a service that sleeps when idle.
 */
import { type DeploymentAutoscaling } from '@slipway/contracts';
import { type Schemas } from './client';
import { paintStatus, type Cell } from './output';

type Operation = Schemas['ServiceOperationView'];

/** What `sleeping` and `waking` mean, shown next to them: neither is a fault. */
const STATUS_NOTES: Readonly<Record<string, string>> = {
  sleeping: 'idle: the next request wakes it',
  waking: 'a request arrived: its instances are starting',
};

/** A service's status, painted, with what it means when it sleeps or wakes. */
export function serviceStatusText(status: string, color: boolean): string {
  const note = STATUS_NOTES[status];
  return note ? `${paintStatus(status, color)} (${note})` : paintStatus(status, color);
}

/**
 * A deployment's `autoscaling` on one line: `0 to 4 instances, CPU 80%, 20 in flight per
 * instance, sleeps after 900 s idle`. The OpenAPI document leaves the view's object untyped.
 */
export function autoscalingSummary(view: unknown): string | null {
  if (view === null || typeof view !== 'object') return null;
  const autoscaling = view as Partial<DeploymentAutoscaling>;
  const { min_replicas: min, max_replicas: max } = autoscaling;
  if (min === undefined || max === undefined) return null;
  const cpu = autoscaling.metrics?.[0]?.resource.target.average_utilization;
  const concurrency = autoscaling.target_concurrency;
  const idle = autoscaling.idle_timeout_seconds;
  return [
    `${min} to ${max} instances`,
    cpu !== undefined && `CPU ${cpu}%`,
    typeof concurrency === 'number' && `${concurrency} in flight per instance`,
    typeof idle === 'number' && `sleeps after ${idle} s idle`,
  ]
    .filter((part) => part !== false)
    .join(', ');
}

/** Why the platform scaled (`idle: no request for 900 s`); nothing for a user's scale. */
export function operationCause(operation: Operation): string | null {
  if (operation.cause === 'user') return null;
  return operation.reason ? `${operation.cause}: ${operation.reason}` : operation.cause;
}

/**
 * A scale or restart on one line: `scale to 0 (ID): succeeded; idle: no request for 900 s`,
 * with the failure's reason when it failed.
 */
export function operationSummary(operation: Operation, color: boolean): string {
  const failure = operation.failure_reason ? `: ${operation.failure_reason}` : '';
  const cause = operationCause(operation);
  return `${operation.kind} to ${operation.instances} (${operation.id}): ${paintStatus(operation.status, color)}${failure}${cause ? `; ${cause}` : ''}`;
}

/** The reason column of `service events`: why the platform decided it, and why it failed. */
function eventReason(operation: Operation): string | null {
  const parts = [
    operation.reason,
    operation.failure_reason && `failed: ${operation.failure_reason}`,
  ].filter((part): part is string => typeof part === 'string' && part !== '');
  return parts.length ? parts.join('; ') : null;
}

export const EVENT_COLUMNS = ['time', 'cause', 'instances', 'status', 'reason'] as const;

/** One table row per scaling event, as `service events` prints them. */
export function eventRows(events: readonly Operation[], color: boolean): Cell[][] {
  return events.map((event) => [
    event.started_at,
    event.cause,
    event.kind === 'scale' ? event.instances : `${event.kind} ${event.instances}`,
    paintStatus(event.status, color),
    eventReason(event),
  ]);
}
