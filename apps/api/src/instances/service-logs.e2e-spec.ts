/**
 * GET /v1/services/{id}/logs on the docker runtime: a two-instance service whose containers
 * print a few lines at boot (one on stderr), then a tick every 200 ms while serving.
 */
import { ErrorCode, type DeploymentResource } from '@slipway/contracts';
import { describeCredentialChecks, withToken } from '../../test/support/credentials';
import { startDockerStack, type DockerStack } from '../../test/support/docker-stack';
import { createTenant, expectError } from '../../test/support/fixtures';
import { bearer } from '../../test/support/test-app';

jest.setTimeout(90_000);

interface LogLine {
  instance: string;
  timestamp: string;
  message: string;
}

const SCRIPT = [
  'echo "boot $HOSTNAME"',
  'echo "Mixed Case marker"',
  'echo "mixed case marker"',
  'echo "warning on stderr" >&2',
  '(i=0; while true; do i=$((i+1)); echo "tick $i"; sleep 0.2; done) &',
  'exec httpd -f -p 8080 -h /www',
].join('\n');

const time = (line: LogLine): number => Date.parse(line.timestamp);
const messages = (lines: readonly LogLine[]): string[] => lines.map((line) => line.message);

describe('service-wide logs', () => {
  let stack: DockerStack;
  let serviceId: string;
  let instances: string[];

  const admin = () => bearer(stack.t.adminToken);

  async function deploy(id: string, body: object): Promise<void> {
    const res = await stack.t.http
      .post(`/v1/services/${id}/deploy`)
      .set(admin())
      .send(body)
      .expect(200);
    const done = await stack.waitForDeployment(id, (res.body.data as DeploymentResource).id);
    expect([done.status, done.failure_reason]).toEqual(['succeeded', null]);
  }

  /** The lines the route answers for `query`, checking the list envelope on the way. */
  async function logs(query = '', id = serviceId): Promise<LogLine[]> {
    const res = await stack.t.http.get(`/v1/services/${id}/logs${query}`).set(admin()).expect(200);
    const lines = res.body.data as LogLine[];
    expect(res.body.pagination).toEqual({
      page: 1,
      per_page: Math.max(1, lines.length),
      total: lines.length,
      total_pages: 1,
    });
    return lines;
  }

  /** Every line so far (the suite writes far fewer than the maximum limit). */
  const everything = () => logs('?limit=10000');

  beforeAll(async () => {
    stack = await startDockerStack();
    serviceId = await stack.createService('logs');
    await deploy(serviceId, {
      image: stack.siteImage,
      replicas: 2,
      command: ['sh', '-c', SCRIPT],
    });
    const pods = await stack.t.http.get(`/v1/services/${serviceId}/pods`).set(admin()).expect(200);
    instances = (pods.body.data as { name: string }[]).map((pod) => pod.name).sort();
    expect(instances).toHaveLength(2);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("answers every instance's lines, stderr included, each tagged, oldest first", async () => {
    const lines = await logs();
    expect(lines.length).toBeGreaterThan(8);
    for (const line of lines) {
      expect(Object.keys(line).sort()).toEqual(['instance', 'message', 'timestamp']);
      expect(instances).toContain(line.instance);
      expect(line.timestamp).toBe(new Date(line.timestamp).toISOString());
    }
    const times = lines.map(time);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    for (const instance of instances) {
      const own = messages(lines.filter((line) => line.instance === instance));
      expect(own).toEqual(
        expect.arrayContaining([
          `boot ${instance}`,
          'Mixed Case marker',
          'mixed case marker',
          'warning on stderr',
          'tick 1',
        ]),
      );
      // stdout in the order written (stderr is a separate pipe, its place may vary).
      expect(own.indexOf(`boot ${instance}`)).toBeLessThan(own.indexOf('tick 1'));
    }
  });

  it('with since, answers only the lines of the last that many seconds', async () => {
    // Let the boot lines age past the window.
    const boot = (await everything())[0];
    const wait = time(boot!) + 3500 - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));

    const before = Date.now();
    const recent = await logs('?since=2');
    expect(recent.length).toBeGreaterThan(2);
    expect(new Set(recent.map((line) => line.instance))).toEqual(new Set(instances));
    for (const line of recent) {
      expect(line.message).toMatch(/^tick \d+$/);
      expect(time(line)).toBeGreaterThanOrEqual(before - 2000);
    }
  });

  it('with start and end, answers exactly the lines of the window', async () => {
    const all = await everything();
    expect(all.length).toBeGreaterThan(12);
    const start = all[4]!.timestamp;
    const end = all[10]!.timestamp;
    const inWindow = all.filter(
      (line) => time(line) >= Date.parse(start) && time(line) < Date.parse(end),
    );
    expect(inWindow.length).toBeGreaterThan(0);
    expect(inWindow.length).toBeLessThan(all.length);

    const window = await logs(`?start=${start}&end=${end}`);
    expect(window).toEqual(inWindow);
    // The same instants written with another offset are the same window.
    const shifted = (iso: string) =>
      new Date(Date.parse(iso) + 2 * 3600_000).toISOString().replace('Z', '+02:00');
    const query = new URLSearchParams({ start: shifted(start), end: shifted(end) });
    expect(await logs(`?${query.toString()}`)).toEqual(inWindow);
  });

  it('with limit, keeps the newest lines of the window', async () => {
    const all = await everything();
    const end = all[all.length - 5]!.timestamp;
    const upToEnd = all.filter((line) => time(line) < Date.parse(end));
    expect(await logs(`?end=${end}&limit=3`)).toEqual(upToEnd.slice(-3));

    // Without an end the instances keep logging: the answer is newer than what came before.
    const newest = await logs('?limit=3');
    expect(newest).toHaveLength(3);
    for (const line of newest) {
      expect(time(line)).toBeGreaterThanOrEqual(time(all[all.length - 3]!));
    }
  });

  it('with filter, answers the lines that contain it, case-sensitively', async () => {
    const lines = await logs('?filter=Mixed%20Case');
    expect(lines.map((line) => [line.instance, line.message]).sort()).toEqual(
      instances.map((instance) => [instance, 'Mixed Case marker']),
    );
    expect(await logs('?filter=MIXED')).toEqual([]);
  });

  it('includes the lines of stopped instances', async () => {
    const id = await stack.createService('logs-stop');
    await deploy(id, {
      image: stack.siteImage,
      command: ['sh', '-c', 'echo "last words"; exec httpd -f -p 8080 -h /www'],
    });
    const [instance] = (await logs('', id)).map((line) => line.instance);
    expect(instance).toBeDefined();
    await stack.docker.getContainer(instance!).stop({ t: 1 });
    const lines = await logs('', id);
    expect(lines.map((line) => [line.instance, line.message])).toEqual([[instance, 'last words']]);
  });

  describe('bad input', () => {
    it.each([
      ['since=-1', /^since: must be at least 1/],
      ['since=0', /^since: must be at least 1/],
      ['since=abc', /^since: must be an integer/],
      ['since=1.5', /^since: must be an integer/],
      ['start=not-a-date', /^start: must be an ISO 8601 date-time/],
      ['start=2026-01-01T10:00:00', /^start: must be an ISO 8601 date-time with a time zone/],
      ['end=2026-02-30T10:00:00Z', /^end: must be an ISO 8601 date-time/],
      ['since=60&start=2026-01-01T10:00:00Z', /^since: cannot be combined with start or end/],
      ['since=60&end=2026-01-01T10:00:00Z', /^since: cannot be combined with start or end/],
      ['start=2026-01-02T00:00:00Z&end=2026-01-01T00:00:00Z', /^start: must be before end/],
      ['limit=0', /^limit: must be at least 1/],
      ['limit=100000', /^limit: must be at most 10000/],
      ['limit=ten', /^limit: must be an integer/],
      [`filter=${'x'.repeat(257)}`, /^filter: must be at most 256 characters/],
      ['filter=a&filter=b', /^filter: must be a string/],
      ['tail=10', /^tail: is not a known field/],
    ])('?%s is a 400 naming the field', async (query, message) => {
      const res = await stack.t.http
        .get(`/v1/services/${serviceId}/logs?${query}`)
        .set(admin())
        .expect(400);
      expect(expectError(res.body, ErrorCode.ValidationFailed).message).toMatch(message);
    });
  });

  describe('unknown and foreign ids', () => {
    it('answers 404 for an unknown service and 400 for a malformed id', async () => {
      const unknown = await stack.t.http
        .get('/v1/services/00000000-0000-4000-8000-000000000000/logs')
        .set(admin())
        .expect(404);
      expectError(unknown.body, ErrorCode.NotFound);
      const malformed = await stack.t.http
        .get('/v1/services/not-a-uuid/logs')
        .set(admin())
        .expect(400);
      expect(expectError(malformed.body, ErrorCode.ValidationFailed).message).toMatch(/^id: /);
    });

    it("another user's service is 404, never 403", async () => {
      const other = await createTenant(stack.t);
      const res = await stack.t.http
        .get(`/v1/services/${serviceId}/logs`)
        .set(bearer(other.user.token))
        .expect(404);
      expectError(res.body, ErrorCode.NotFound);
    });
  });

  describeCredentialChecks(
    () => stack.t,
    () => [
      ['GET logs', (token) => withToken(stack.t.http.get(`/v1/services/${serviceId}/logs`), token)],
    ],
  );
});
