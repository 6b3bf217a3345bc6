import { Injectable, Logger } from '@nestjs/common';
import { type Deployment } from '../deployments/deployment.entity';
import { OperationsService } from '../operations/operations.service';
import { type Service } from '../services/service.entity';
import { type ServiceActivity } from './edge-activity';

/** A serving service whose live deployment scales by in-flight requests. */
export interface ConcurrencyCandidate {
  readonly id: string;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly targetConcurrency: number;
  /** Ready instances now (the route's endpoints). */
  readonly current: number;
}

/**
 * Scales a service to its in-flight requests over `target_concurrency` per instance, between
 * its bounds (at least one: zero is the sleeper's business). Out at once, since waiting costs
 * latency; in only once every reading over the scale-in window asked for fewer, so a lull
 * between bursts does not shed instances that are needed a second later.
 */
@Injectable()
export class ConcurrencyScaler {
  private readonly logger = new Logger(ConcurrencyScaler.name);
  /** Each service's wishes over the last window (oldest first), and since when it is read. */
  private readonly wishes = new Map<
    string,
    { since: number; recent: { at: number; instances: number }[] }
  >();

  constructor(private readonly operations: OperationsService) {}

  /** Answers the count it started a scale to, or null when none was needed. */
  async rescale(
    candidate: ConcurrencyCandidate,
    activity: ServiceActivity | undefined,
    now: number,
    scaleInWindowMs: number,
  ): Promise<number | null> {
    const inFlight = activity?.inFlight ?? 0;
    const floor = Math.max(1, candidate.minReplicas);
    const wanted = clamp(
      Math.ceil(inFlight / candidate.targetConcurrency),
      floor,
      candidate.maxReplicas,
    );
    const { since, recent } = this.remember(candidate.id, wanted, now, scaleInWindowMs);
    let target: number | null = null;
    let reason = '';
    if (wanted > candidate.current) {
      target = wanted;
      reason = `${inFlight} requests in flight, ${candidate.targetConcurrency} per instance wanted`;
    } else if (since <= now - scaleInWindowMs) {
      const most = Math.max(...recent.map((wish) => wish.instances));
      if (most < candidate.current) {
        target = most;
        reason = `at most ${most * candidate.targetConcurrency} requests in flight for ${Math.round(scaleInWindowMs / 1000)} s`;
      }
    }
    if (target === null) return null;
    const operation = await this.operations.scaleForPlatform(
      candidate.id,
      'autoscale',
      `${reason}: ${candidate.current} → ${target} instances`,
      (service, live) => Promise.resolve(mayRescale(service, live) ? target : null),
    );
    if (!operation) return null;
    this.logger.log(`service ${candidate.id}: ${operation.reason}`);
    // The count changes: readings before it say nothing about the new one.
    this.wishes.delete(candidate.id);
    return target;
  }

  /** Forgets services no longer scaled by concurrency. */
  retain(ids: ReadonlySet<string>): void {
    for (const id of this.wishes.keys()) if (!ids.has(id)) this.wishes.delete(id);
  }

  private remember(id: string, instances: number, now: number, windowMs: number) {
    const known = this.wishes.get(id);
    const recent = (known?.recent ?? []).filter((wish) => wish.at > now - windowMs);
    recent.push({ at: now, instances });
    const entry = { since: known?.since ?? now, recent };
    this.wishes.set(id, entry);
    return entry;
  }
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

/** Under the row lock: still serving, awake, and still scaled by concurrency. */
function mayRescale(service: Service, live: Deployment): boolean {
  return (
    (service.status === 'running' || service.status === 'degraded') &&
    !service.asleep &&
    service.instances !== 0 &&
    typeof live.settings.autoscaling?.targetConcurrency === 'number'
  );
}
