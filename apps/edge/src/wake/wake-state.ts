import { type EdgeError, edgeErrors } from '../http/edge-error';
import type { Endpoint, Route } from '../routing/route-table';

/** What a request HAProxy sent to the agent (its service was asleep) meets now. */
export type WakeState =
  /** Ready instances: the request is proxied to one. */
  | { readonly kind: 'awake'; readonly endpoints: readonly Endpoint[] }
  /**
   * Held until instances are ready; `wake`: the service sleeps, so a wake is asked for
   * (false while it is awake but has no ready instance yet).
   */
  | { readonly kind: 'hold'; readonly wake: boolean }
  /** The last wake failed: answered at once with why. */
  | { readonly kind: 'failed'; readonly reason: string }
  /** Nothing will wake it (paused, deleted, never deployed, unknown): answered at once. */
  | { readonly kind: 'refused'; readonly error: EdgeError };

/** A service's wake state from the agent's route table (`deleted`: it has a tombstone). */
export function wakeStateOf(route: Route | undefined, deleted: boolean): WakeState {
  if (!route) {
    return {
      kind: 'refused',
      error: deleted ? edgeErrors.deleted() : edgeErrors.noReadyInstance(),
    };
  }
  if (!route.deployed) return { kind: 'refused', error: edgeErrors.notDeployed() };
  if (route.sleeping) {
    return route.wakeFailure === null
      ? { kind: 'hold', wake: true }
      : { kind: 'failed', reason: route.wakeFailure };
  }
  if (route.paused) return { kind: 'refused', error: edgeErrors.paused() };
  if (route.endpoints.length > 0) return { kind: 'awake', endpoints: route.endpoints };
  // Woken, its instances not ready yet: the next route change brings them.
  return { kind: 'hold', wake: false };
}
