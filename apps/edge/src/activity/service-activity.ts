import type { EdgeActivity } from '@slipway/contracts';

/** One entry of HAProxy's activity stick table (`show table`), keyed by service id. */
export interface StickEntry {
  readonly serviceId: string;
  /** Requests and WebSocket tunnels open now (tracked streams). */
  readonly inFlight: number;
  /** Requests since the entry was created. */
  readonly requests: number;
  /** Milliseconds until the entry expires, when HAProxy said. */
  readonly expiresInMs: number | undefined;
}

const ENTRY = /^0x[0-9a-f]+: key=(\S+) .*?\bconn_cur=(\d+)/;

/**
 * Reads `show table <name>`: a `# table:` header, then one line per entry such as
 * `0x55f9…: key=<service id> use=3 exp=59535 conn_cur=3 http_req_cnt=3`.
 */
export function parseStickTable(text: string): StickEntry[] {
  const entries: StickEntry[] = [];
  for (const line of text.split('\n')) {
    const match = ENTRY.exec(line);
    if (!match?.[1] || match[2] === undefined) continue;
    const requests = /\bhttp_req_cnt=(\d+)/.exec(line)?.[1];
    const expires = /\bexp=(\d+)/.exec(line)?.[1];
    entries.push({
      serviceId: match[1],
      inFlight: Number(match[2]),
      requests: requests === undefined ? 0 : Number(requests),
      expiresInMs: expires === undefined ? undefined : Number(expires),
    });
  }
  return entries;
}

/**
 * Turns successive reads of the table into each service's activity. HAProxy refreshes an
 * entry's expiry when a tracked request starts and when it ends, so `now − (expire − exp)`
 * is when the service's last request started or ended; the agent's own observations (open
 * requests now, the count grown since the last read) are folded in, so the answer never
 * goes back in time and holds across agent restarts (the table lives in HAProxy).
 */
export class ActivityTracker {
  private last = new Map<string, { requests: number; lastRequestAt: number }>();

  /** @param expireMs the table's `expire`, in ms. */
  constructor(private readonly expireMs: number) {}

  /** Each service in the table (traffic within `expireMs`), as of `now`. */
  update(entries: readonly StickEntry[], now: number): Map<string, EdgeActivity> {
    const next = new Map<string, { requests: number; lastRequestAt: number }>();
    const activity = new Map<string, EdgeActivity>();
    for (const entry of entries) {
      const before = this.last.get(entry.serviceId);
      let lastRequestAt = before?.lastRequestAt ?? 0;
      if (entry.expiresInMs !== undefined) {
        const touched = now - Math.max(0, this.expireMs - entry.expiresInMs);
        lastRequestAt = Math.max(lastRequestAt, touched);
      }
      if (entry.inFlight > 0 || (before !== undefined && entry.requests !== before.requests)) {
        lastRequestAt = now;
      }
      lastRequestAt = Math.min(Math.round(lastRequestAt), now);
      next.set(entry.serviceId, { requests: entry.requests, lastRequestAt });
      activity.set(entry.serviceId, { inFlight: entry.inFlight, lastRequestAt });
    }
    this.last = next;
    return activity;
  }
}
