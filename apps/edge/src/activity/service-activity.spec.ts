import { ActivityTracker, parseStickTable } from './service-activity';

// As HAProxy 2.6 prints it (`show table activity`).
const TABLE = `# table: activity, type: string, size:102400, used:2
0x55f9fa200db8: key=svc-a use=3 exp=59535 conn_cur=3 http_req_cnt=3
0x55f9fa200e40: key=svc-b use=0 exp=1800000 conn_cur=0 http_req_cnt=12

`;

describe('parseStickTable', () => {
  it('reads each entry', () => {
    expect(parseStickTable(TABLE)).toEqual([
      { serviceId: 'svc-a', inFlight: 3, requests: 3, expiresInMs: 59_535 },
      { serviceId: 'svc-b', inFlight: 0, requests: 12, expiresInMs: 1_800_000 },
    ]);
  });

  it('reads an empty table, and skips what is not an entry', () => {
    expect(parseStickTable('# table: activity, type: string, size:102400, used:0\n\n')).toEqual([]);
    expect(parseStickTable('Unknown table.\n')).toEqual([]);
  });
});

describe('ActivityTracker', () => {
  const EXPIRE = 60_000;
  const NOW = 1_800_000_000_000;

  it('reports requests in flight with now as their last request', () => {
    const tracker = new ActivityTracker(EXPIRE);
    const activity = tracker.update(
      [{ serviceId: 'svc', inFlight: 4, requests: 9, expiresInMs: 50_000 }],
      NOW,
    );
    expect(activity.get('svc')).toEqual({ inFlight: 4, lastRequestAt: NOW });
  });

  it("dates an idle service's last request by when HAProxy last refreshed its entry", () => {
    const tracker = new ActivityTracker(EXPIRE);
    const activity = tracker.update(
      [{ serviceId: 'svc', inFlight: 0, requests: 9, expiresInMs: 45_000 }],
      NOW,
    );
    expect(activity.get('svc')).toEqual({ inFlight: 0, lastRequestAt: NOW - 15_000 });
  });

  it('takes now when the count grew since the last read, and never goes back in time', () => {
    const tracker = new ActivityTracker(EXPIRE);
    tracker.update([{ serviceId: 'svc', inFlight: 0, requests: 1, expiresInMs: 10_000 }], NOW);
    const grown = tracker.update(
      [{ serviceId: 'svc', inFlight: 0, requests: 2, expiresInMs: undefined }],
      NOW + 1000,
    );
    expect(grown.get('svc')?.lastRequestAt).toBe(NOW + 1000);
    const later = tracker.update(
      [{ serviceId: 'svc', inFlight: 0, requests: 2, expiresInMs: 1000 }],
      NOW + 2000,
    );
    expect(later.get('svc')?.lastRequestAt).toBe(NOW + 1000);
  });

  it('forgets services whose entries expired', () => {
    const tracker = new ActivityTracker(EXPIRE);
    tracker.update([{ serviceId: 'svc', inFlight: 1, requests: 1, expiresInMs: 60_000 }], NOW);
    expect(tracker.update([], NOW + 1000).size).toBe(0);
  });
});
