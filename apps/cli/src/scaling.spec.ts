import { type Api, type Schemas } from './client';
import { newestEvents } from './commands/events';
import { formatTable } from './output';
import {
  autoscalingSummary,
  EVENT_COLUMNS,
  eventRows,
  operationSummary,
  serviceStatusText,
} from './scaling';

const operation = (
  changes: Partial<Schemas['ServiceOperationView']> = {},
): Schemas['ServiceOperationView'] => ({
  id: 'op-1',
  service_id: 'svc-1',
  kind: 'scale',
  deployment_id: 'd-1',
  instances: 0,
  status: 'succeeded',
  failure_reason: null,
  cause: 'idle',
  reason: 'no request for 900 s',
  started_by: null,
  started_at: '2026-01-31T09:00:00.000Z',
  ended_at: '2026-01-31T09:00:02.000Z',
  ...changes,
});

describe('scaling output', () => {
  it('says what sleeping and waking mean, and leaves other statuses alone', () => {
    expect(serviceStatusText('sleeping', false)).toBe('sleeping (idle: the next request wakes it)');
    expect(serviceStatusText('waking', false)).toBe(
      'waking (a request arrived: its instances are starting)',
    );
    expect(serviceStatusText('running', false)).toBe('running');
    expect(serviceStatusText('sleeping', true)).toContain('\u001b[2msleeping\u001b[0m');
  });

  it("summarizes a deployment's autoscaling on one line", () => {
    const cpu = [
      {
        type: 'resource',
        resource: { name: 'cpu', target: { type: 'utilization', average_utilization: 80 } },
      },
    ];
    expect(
      autoscalingSummary({
        min_replicas: 0,
        max_replicas: 4,
        metrics: cpu,
        target_concurrency: 20,
        idle_timeout_seconds: 900,
      }),
    ).toBe('0 to 4 instances, CPU 80%, 20 in flight per instance, sleeps after 900 s idle');
    expect(
      autoscalingSummary({
        min_replicas: 1,
        max_replicas: 3,
        metrics: cpu,
        target_concurrency: null,
        idle_timeout_seconds: null,
      }),
    ).toBe('1 to 3 instances, CPU 80%');
    expect(autoscalingSummary(null)).toBeNull();
  });

  it("names the platform's cause and reason of an operation, never a user's", () => {
    expect(operationSummary(operation(), false)).toBe(
      'scale to 0 (op-1): succeeded; idle: no request for 900 s',
    );
    expect(
      operationSummary(
        operation({
          cause: 'wake',
          instances: 1,
          status: 'failed',
          reason: 'a request arrived',
          failure_reason: 'instance 0 exited 1',
        }),
        false,
      ),
    ).toBe('scale to 1 (op-1): failed: instance 0 exited 1; wake: a request arrived');
    expect(operationSummary(operation({ cause: 'user', reason: null, instances: 3 }), false)).toBe(
      'scale to 3 (op-1): succeeded',
    );
  });

  it('prints events as a table: time, cause, instances, status, reason and failure', () => {
    const rows = eventRows(
      [
        operation(),
        operation({
          cause: 'autoscale',
          instances: 3,
          status: 'failed',
          reason: '55 requests in flight, 20 per instance wanted: 1 → 3 instances',
          failure_reason: 'instance 2 did not become ready',
        }),
        operation({ cause: 'user', reason: null, instances: 2, started_by: 'u-1' }),
      ],
      false,
    );
    expect(formatTable(EVENT_COLUMNS, rows)).toBe(
      [
        'TIME                      CAUSE      INSTANCES  STATUS     REASON',
        '2026-01-31T09:00:00.000Z  idle       0          succeeded  no request for 900 s',
        '2026-01-31T09:00:00.000Z  autoscale  3          failed     55 requests in flight, 20 per instance wanted: 1 → 3 instances; failed: instance 2 did not become ready',
        '2026-01-31T09:00:00.000Z  user       2          succeeded  -',
        '',
      ].join('\n'),
    );
  });
});

describe('service events', () => {
  /** An API whose events route answers `total` events, `per_page` at a time. */
  function eventsApi(total: number): { api: Api; pages: number[] } {
    const pages: number[] = [];
    const GET = (
      _path: string,
      init: { params: { query: { page: number; per_page: number } } },
    ) => {
      const { page, per_page: perPage } = init.params.query;
      pages.push(page);
      const first = (page - 1) * perPage;
      const data = Array.from({ length: Math.max(0, Math.min(perPage, total - first)) }, (_, i) =>
        operation({ id: `op-${first + i}` }),
      );
      const pagination = {
        page,
        per_page: perPage,
        total,
        total_pages: Math.ceil(total / perPage),
      };
      return Promise.resolve({ data: { data, pagination }, response: { ok: true } });
    };
    return { api: { client: { GET }, settings: {} } as unknown as Api, pages };
  }

  it('reads the newest events up to --limit, page by page', async () => {
    const many = eventsApi(250);
    const events = await newestEvents(many.api, 'svc-1', 150);
    expect(events.map((e) => e.id)).toEqual(Array.from({ length: 150 }, (_, i) => `op-${i}`));
    expect(many.pages).toEqual([1, 2]);

    const few = eventsApi(3);
    expect(await newestEvents(few.api, 'svc-1', 20)).toHaveLength(3);
    expect(few.pages).toEqual([1]);

    const none = eventsApi(0);
    expect(await newestEvents(none.api, 'svc-1', 20)).toEqual([]);
    expect(none.pages).toEqual([1]);
  });
});
