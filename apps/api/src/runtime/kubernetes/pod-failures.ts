/**
 * Reading a pod's trouble into words a user can act on: why it cannot start (a crash loop,
 * a bad image, a missing secret), why it is still pending, and the warnings recorded for it.
 */
import type { CoreV1Event, V1ContainerStatus, V1Pod } from '@kubernetes/client-node';

/** Waiting reasons that will not resolve by waiting longer. */
export const FAILING_WAIT_REASONS: ReadonlySet<string> = new Set([
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'ErrImageNeverPull',
  'InvalidImageName',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
]);

const MAX_WARNINGS = 5;
const MAX_OUTPUT_LINES = 20;

export function isPodReady(pod: V1Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

export function containerStatuses(pod: V1Pod): V1ContainerStatus[] {
  return [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
}

function joined(...parts: (string | undefined)[]): string {
  return parts.filter((part) => part !== undefined && part !== '').join(': ');
}

/** What the container last printed, when its termination message carries it. */
function lastOutput(message: string | undefined): string {
  const lines = (message ?? '').trimEnd().split('\n').filter(Boolean).slice(-MAX_OUTPUT_LINES);
  return lines.length === 0 ? '' : `\nLast output:\n${lines.map((line) => `  ${line}`).join('\n')}`;
}

function containerFailure(status: V1ContainerStatus): string | undefined {
  const waiting = status.state?.waiting;
  const terminated = status.state?.terminated;
  const previous = status.lastState?.terminated;
  if (waiting?.reason !== undefined && FAILING_WAIT_REASONS.has(waiting.reason)) {
    const exit =
      previous === undefined
        ? ''
        : `; it last exited with code ${previous.exitCode}${previous.reason ? ` (${previous.reason})` : ''}`;
    return (
      `container "${status.name}" is in ${joined(waiting.reason, waiting.message)}${exit}` +
      lastOutput(previous?.message)
    );
  }
  if (terminated !== undefined && terminated.exitCode !== 0) {
    return (
      `container "${status.name}" exited with code ${terminated.exitCode}` +
      `${terminated.reason ? ` (${terminated.reason})` : ''}${lastOutput(terminated.message)}`
    );
  }
  return undefined;
}

/** Why the pod cannot become ready, when waiting longer will not help; else undefined. */
export function podFailure(pod: V1Pod): string | undefined {
  const name = pod.metadata?.name ?? 'unknown';
  if (pod.status?.phase === 'Failed') {
    return `instance ${name} failed: ${joined(pod.status.reason, pod.status.message) || 'the pod failed'}`;
  }
  for (const status of containerStatuses(pod)) {
    const failure = containerFailure(status);
    if (failure !== undefined) return `instance ${name} cannot start: ${failure}`;
  }
  return undefined;
}

/** Where a not-yet-ready pod is stuck (unschedulable, creating, failing its readiness check). */
export function pendingReason(pod: V1Pod): string {
  const unscheduled = pod.status?.conditions?.find(
    (c) => c.type === 'PodScheduled' && c.status === 'False',
  );
  if (unscheduled !== undefined) {
    return `not scheduled: ${joined(unscheduled.reason, unscheduled.message)}`;
  }
  for (const status of containerStatuses(pod)) {
    const waiting = status.state?.waiting;
    if (waiting !== undefined)
      return `container "${status.name}" ${joined(waiting.reason, waiting.message) || 'waiting'}`;
  }
  if (pod.status?.phase === 'Running') return 'running, but its readiness check is not passing yet';
  return pod.status?.phase ?? 'pending';
}

function eventTime(event: CoreV1Event): number {
  const time =
    event.lastTimestamp ??
    event.eventTime ??
    event.firstTimestamp ??
    event.metadata?.creationTimestamp;
  return time === undefined ? 0 : new Date(time).getTime();
}

/** The pod's most recent Warning events, oldest first, one line each. */
export function recentWarnings(events: readonly CoreV1Event[]): string[] {
  const lines = events
    .filter((event) => event.type === 'Warning')
    .sort((a, b) => eventTime(a) - eventTime(b))
    .map((event) => {
      const repeated = (event.count ?? 1) > 1 ? ` (x${event.count})` : '';
      return `${joined(event.reason, event.message)}${repeated}`;
    });
  return [...new Set(lines)].slice(-MAX_WARNINGS);
}

export function withWarnings(reason: string, warnings: readonly string[]): string {
  if (warnings.length === 0) return reason;
  return `${reason}\nRecent warnings:\n${warnings.map((line) => `  ${line}`).join('\n')}`;
}
