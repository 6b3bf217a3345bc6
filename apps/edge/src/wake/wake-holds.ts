import { type EdgeError, edgeErrors } from '../http/edge-error';
import type { Endpoint } from '../routing/route-table';
import type { WakeState } from './wake-state';

/** One request waiting for its service to wake; exactly one of the two is called, once. */
export interface HeldRequest {
  /** Hands the request to an instance. */
  release(endpoint: Endpoint): void;
  /** Answers the request with an error. */
  refuse(error: EdgeError): void;
}

/** How a held request's wait ended. */
export type HoldOutcome =
  'released' | 'failed' | 'timed_out' | 'queue_full' | 'refused' | 'abandoned';

export interface WakeHoldsOptions {
  /** Held requests per service; more are refused at once. */
  readonly queueLimit: number;
  /** Longest a request is held. */
  readonly timeoutMs: number;
  /** While requests are held the wake is asked for again this often: a lost message must not strand them. */
  readonly repeatWakeMs: number;
  /** While the last wake failed, a wake is asked for at most this often (so a fixed service recovers). */
  readonly failedWakeMs: number;
}

export interface WakeHoldsHooks {
  /** Publishes a wake request for the service. */
  requestWake(serviceId: string): void;
  /** A held request's wait ended. */
  ended?(serviceId: string, outcome: HoldOutcome): void;
  /** How many requests the service has held now. */
  heldChanged?(serviceId: string, held: number): void;
  readonly now?: () => number;
}

interface Entry {
  readonly request: HeldRequest;
  readonly timer: NodeJS.Timeout;
}

interface Queue {
  readonly entries: Set<Entry>;
  /** Whether the service sleeps (so a wake is asked for), from its latest state. */
  wake: boolean;
  repeat: NodeJS.Timeout | undefined;
}

/**
 * Requests for sleeping services, per service: the first held request of an episode (from
 * an empty queue to empty again) asks for a wake, which is asked for again every
 * `repeatWakeMs` while any is held. A route change releases them all to ready instances, or
 * refuses them all when the wake failed; each is also bounded by the queue limit and the wait.
 */
export class WakeHolds {
  private readonly queues = new Map<string, Queue>();
  /** When a wake was last asked for, per service (throttles wakes after a failure). */
  private readonly lastWake = new Map<string, number>();
  private readonly now: () => number;

  constructor(
    private readonly options: WakeHoldsOptions,
    private readonly hooks: WakeHoldsHooks,
  ) {
    this.now = hooks.now ?? (() => Date.now());
  }

  /** Services with held requests. */
  services(): string[] {
    return [...this.queues.keys()];
  }

  held(serviceId: string): number {
    return this.queues.get(serviceId)?.entries.size ?? 0;
  }

  /**
   * Takes a request in the service's current state: proxied, answered, or held. Returns a
   * cancel function when held (the connection closed: the request is dropped).
   */
  admit(serviceId: string, state: WakeState, request: HeldRequest): (() => void) | undefined {
    switch (state.kind) {
      case 'awake':
        request.release(pick(state.endpoints, randomIndex(state.endpoints.length)));
        return undefined;
      case 'refused':
        request.refuse(state.error);
        return undefined;
      case 'failed':
        if (this.now() - (this.lastWake.get(serviceId) ?? -Infinity) >= this.options.failedWakeMs) {
          this.wake(serviceId);
        }
        request.refuse(edgeErrors.wakeFailed(state.reason));
        return undefined;
      case 'hold':
        return this.hold(serviceId, state.wake, request);
    }
  }

  /** The service's state changed (a route change): released, refused, or held on. */
  update(serviceId: string, state: WakeState): void {
    const queue = this.queues.get(serviceId);
    if (!queue) return;
    switch (state.kind) {
      case 'awake': {
        // Spread over the ready instances, from a random one.
        let next = randomIndex(state.endpoints.length);
        this.settleAll(serviceId, queue, 'released', (request) => {
          request.release(pick(state.endpoints, next));
          next += 1;
        });
        return;
      }
      case 'failed':
        this.settleAll(serviceId, queue, 'failed', (request) =>
          request.refuse(edgeErrors.wakeFailed(state.reason)),
        );
        return;
      case 'refused':
        this.settleAll(serviceId, queue, 'refused', (request) => request.refuse(state.error));
        return;
      case 'hold':
        // Asleep again while requests wait: ask now rather than at the next repeat.
        if (state.wake && !queue.wake) this.wake(serviceId);
        queue.wake = state.wake;
        return;
    }
  }

  /** Refuses every held request (the agent stops). */
  close(error: EdgeError): void {
    for (const [serviceId, queue] of this.queues) {
      this.settleAll(serviceId, queue, 'refused', (request) => request.refuse(error));
    }
    this.lastWake.clear();
  }

  private hold(serviceId: string, wake: boolean, request: HeldRequest): (() => void) | undefined {
    let queue = this.queues.get(serviceId);
    if (queue && queue.entries.size >= this.options.queueLimit) {
      this.hooks.ended?.(serviceId, 'queue_full');
      request.refuse(edgeErrors.wakeQueueFull(this.options.queueLimit));
      return undefined;
    }
    if (!queue) {
      queue = { entries: new Set(), wake, repeat: undefined };
      this.queues.set(serviceId, queue);
      this.startEpisode(serviceId, queue);
    }
    const owner = queue;
    const timer = setTimeout(() => {
      if (!this.remove(serviceId, owner, entry, 'timed_out')) return;
      request.refuse(edgeErrors.wakeTimeout(this.options.timeoutMs));
    }, this.options.timeoutMs);
    timer.unref();
    const entry: Entry = { request, timer };
    owner.entries.add(entry);
    this.hooks.heldChanged?.(serviceId, owner.entries.size);
    return () => {
      this.remove(serviceId, owner, entry, 'abandoned');
    };
  }

  private startEpisode(serviceId: string, queue: Queue): void {
    if (queue.wake) this.wake(serviceId);
    queue.repeat = setInterval(() => {
      if (queue.wake) this.wake(serviceId);
    }, this.options.repeatWakeMs);
    queue.repeat.unref();
  }

  private wake(serviceId: string): void {
    const now = this.now();
    this.lastWake.set(serviceId, now);
    // Only recent wakes throttle anything: older ones are forgotten.
    if (this.lastWake.size > 1000) {
      for (const [id, at] of this.lastWake) {
        if (now - at >= this.options.failedWakeMs) this.lastWake.delete(id);
      }
    }
    this.hooks.requestWake(serviceId);
  }

  /** Takes one entry out; false when it had already left (released, refused, cancelled). */
  private remove(serviceId: string, queue: Queue, entry: Entry, outcome: HoldOutcome): boolean {
    if (!queue.entries.delete(entry)) return false;
    clearTimeout(entry.timer);
    this.hooks.ended?.(serviceId, outcome);
    this.hooks.heldChanged?.(serviceId, queue.entries.size);
    if (queue.entries.size === 0) this.endEpisode(serviceId, queue);
    return true;
  }

  private settleAll(
    serviceId: string,
    queue: Queue,
    outcome: HoldOutcome,
    settle: (request: HeldRequest) => void,
  ): void {
    const entries = [...queue.entries];
    queue.entries.clear();
    this.endEpisode(serviceId, queue);
    this.hooks.heldChanged?.(serviceId, 0);
    for (const entry of entries) {
      clearTimeout(entry.timer);
      this.hooks.ended?.(serviceId, outcome);
      settle(entry.request);
    }
  }

  private endEpisode(serviceId: string, queue: Queue): void {
    clearInterval(queue.repeat);
    if (this.queues.get(serviceId) === queue) this.queues.delete(serviceId);
  }
}

function pick(endpoints: readonly Endpoint[], index: number): Endpoint {
  const endpoint = endpoints[index % endpoints.length];
  if (!endpoint) throw new Error('no endpoint to pick from');
  return endpoint;
}

function randomIndex(length: number): number {
  return Math.floor(Math.random() * length);
}
