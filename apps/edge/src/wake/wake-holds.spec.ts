import { EdgeError } from '../http/edge-error';
import type { Endpoint } from '../routing/route-table';
import { type HeldRequest, type HoldOutcome, WakeHolds } from './wake-holds';
import type { WakeState } from './wake-state';

const ASLEEP: WakeState = { kind: 'hold', wake: true };
const A = { host: '10.0.0.1', port: 80 };
const B = { host: '10.0.0.2', port: 80 };
const AWAKE: WakeState = { kind: 'awake', endpoints: [A, B] };

/** A request that records how it ended. */
function request() {
  const result: { released?: Endpoint; refused?: EdgeError; calls: number } = { calls: 0 };
  const held: HeldRequest = {
    release: (endpoint) => {
      result.released = endpoint;
      result.calls += 1;
    },
    refuse: (error) => {
      result.refused = error;
      result.calls += 1;
    },
  };
  return { held, result };
}

function setup(options: Partial<ConstructorParameters<typeof WakeHolds>[0]> = {}) {
  const wakes: string[] = [];
  const outcomes: [string, HoldOutcome][] = [];
  const held = new Map<string, number>();
  const holds = new WakeHolds(
    { queueLimit: 100, timeoutMs: 60_000, repeatWakeMs: 3000, failedWakeMs: 10_000, ...options },
    {
      requestWake: (id) => wakes.push(id),
      ended: (id, outcome) => outcomes.push([id, outcome]),
      heldChanged: (id, count) => held.set(id, count),
      now: () => Date.now(),
    },
  );
  return { holds, wakes, outcomes, held };
}

describe('WakeHolds', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('holds every request of an episode, asks for one wake, and releases them all across the instances', () => {
    const { holds, wakes, outcomes, held } = setup();
    const requests = Array.from({ length: 25 }, () => request());
    for (const r of requests) expect(holds.admit('svc', ASLEEP, r.held)).toBeInstanceOf(Function);
    expect(wakes).toEqual(['svc']);
    expect(held.get('svc')).toBe(25);
    expect(requests.every((r) => r.result.calls === 0)).toBe(true);

    holds.update('svc', AWAKE);
    expect(requests.every((r) => r.result.calls === 1 && r.result.released)).toBe(true);
    const toA = requests.filter((r) => r.result.released === A).length;
    expect([12, 13]).toContain(toA);
    expect(held.get('svc')).toBe(0);
    expect(outcomes.filter(([, o]) => o === 'released')).toHaveLength(25);
    expect(holds.services()).toEqual([]);
  });

  it('asks for the wake again while requests are held, and stops once none is', () => {
    const { holds, wakes } = setup();
    const r = request();
    const cancel = holds.admit('svc', ASLEEP, r.held);
    jest.advanceTimersByTime(3000);
    expect(wakes).toHaveLength(2);
    jest.advanceTimersByTime(3000);
    expect(wakes).toHaveLength(3);
    cancel?.();
    jest.advanceTimersByTime(30_000);
    expect(wakes).toHaveLength(3);
    // A new episode asks at once.
    holds.admit('svc', ASLEEP, request().held);
    expect(wakes).toHaveLength(4);
  });

  it('does not ask for a wake while the service is awake without ready instances', () => {
    const { holds, wakes } = setup();
    const r = request();
    holds.admit('svc', { kind: 'hold', wake: false }, r.held);
    jest.advanceTimersByTime(10_000);
    expect(wakes).toEqual([]);
    holds.update('svc', ASLEEP);
    expect(wakes).toEqual(['svc']);
  });

  it('proxies at once when the service is already awake', () => {
    const { holds, wakes } = setup();
    const r = request();
    expect(holds.admit('svc', { kind: 'awake', endpoints: [B] }, r.held)).toBeUndefined();
    expect(r.result.released).toBe(B);
    expect(wakes).toEqual([]);
  });

  it('refuses every held request with the reason when the wake fails', () => {
    const { holds, outcomes } = setup();
    const requests = [request(), request()];
    for (const r of requests) holds.admit('svc', ASLEEP, r.held);
    holds.update('svc', { kind: 'failed', reason: 'image pull failed' });
    for (const { result } of requests) {
      expect(result.refused?.status).toBe(503);
      expect(result.refused?.message).toMatch(/could not be woken: image pull failed/);
      expect(result.refused?.headers['Retry-After']).toBe('10');
    }
    expect(outcomes).toEqual([
      ['svc', 'failed'],
      ['svc', 'failed'],
    ]);
  });

  it('answers at once while the last wake failed, asking for a wake at most every failedWakeMs', () => {
    const { holds, wakes } = setup();
    const failed: WakeState = { kind: 'failed', reason: 'no capacity' };
    for (let i = 0; i < 5; i += 1) {
      const r = request();
      expect(holds.admit('svc', failed, r.held)).toBeUndefined();
      expect(r.result.refused?.message).toMatch(/no capacity/);
    }
    expect(wakes).toEqual(['svc']);
    jest.advanceTimersByTime(9_999);
    holds.admit('svc', failed, request().held);
    expect(wakes).toHaveLength(1);
    jest.advanceTimersByTime(1);
    holds.admit('svc', failed, request().held);
    expect(wakes).toHaveLength(2);
  });

  it('answers a request held too long with a timeout', () => {
    const { holds, outcomes, held } = setup({ timeoutMs: 2000 });
    const r = request();
    holds.admit('svc', ASLEEP, r.held);
    jest.advanceTimersByTime(1999);
    expect(r.result.calls).toBe(0);
    jest.advanceTimersByTime(1);
    expect(r.result.refused?.message).toMatch(/did not wake in time \(waited 2 s\)/);
    expect(r.result.refused?.headers['Retry-After']).toBe('5');
    expect(outcomes).toEqual([['svc', 'timed_out']]);
    expect(held.get('svc')).toBe(0);
    // Released later: nothing more happens to it.
    holds.update('svc', AWAKE);
    expect(r.result.calls).toBe(1);
  });

  it('refuses beyond the queue limit, per service', () => {
    const { holds } = setup({ queueLimit: 2 });
    holds.admit('svc', ASLEEP, request().held);
    holds.admit('svc', ASLEEP, request().held);
    const third = request();
    expect(holds.admit('svc', ASLEEP, third.held)).toBeUndefined();
    expect(third.result.refused?.message).toMatch(/already holds 2 waiting requests/);
    expect(holds.admit('other', ASLEEP, request().held)).toBeInstanceOf(Function);
    expect(holds.held('svc')).toBe(2);
  });

  it('drops a request whose connection closed', () => {
    const { holds, outcomes } = setup();
    const gone = request();
    const stays = request();
    const cancel = holds.admit('svc', ASLEEP, gone.held);
    holds.admit('svc', ASLEEP, stays.held);
    cancel?.();
    expect(holds.held('svc')).toBe(1);
    holds.update('svc', AWAKE);
    expect(gone.result.calls).toBe(0);
    expect(stays.result.released).toBeDefined();
    expect(outcomes).toEqual([
      ['svc', 'abandoned'],
      ['svc', 'released'],
    ]);
  });

  it('refuses held requests when the service is paused or deleted meanwhile, and all at close', () => {
    const { holds } = setup();
    const paused = request();
    holds.admit('svc', ASLEEP, paused.held);
    holds.update('svc', { kind: 'refused', error: new EdgeError(503, 'bad_gateway', 'paused') });
    expect(paused.result.refused?.message).toBe('paused');
    const open = request();
    holds.admit('other', ASLEEP, open.held);
    holds.close(new EdgeError(503, 'bad_gateway', 'closing'));
    expect(open.result.refused?.message).toBe('closing');
    expect(holds.services()).toEqual([]);
  });
});
