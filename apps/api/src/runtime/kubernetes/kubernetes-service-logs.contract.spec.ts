/**
 * Service-wide logs of the `kubernetes` runtime against a stand-in API server (no cluster
 * runs here): the stand-in plays the kubelet's log endpoint with timestamped lines.
 */
import { LABELS } from '@slipway/k8s-spec';
import {
  putPod,
  statusReply,
  waitFor,
  type FakeKubeApi,
  type RecordedRequest,
} from '@slipway/kube-client/testing';
import { KubernetesApiError } from '@slipway/kube-client';
import type { ServiceLogQuery } from '../runtime-driver';
import type { KubernetesRuntimeDriver } from './kubernetes-runtime.driver';
import { names, ref, spec } from './testing/fixtures';
import { startDriver } from './testing/harness';

const ns = names.namespace;
const labels = { [LABELS.serviceId]: spec.service.id };

let api: FakeKubeApi;
let driver: KubernetesRuntimeDriver;

beforeEach(async () => {
  ({ api, driver } = await startDriver());
});

afterEach(() => api.close());

function appStatus(restartCount: number, state: Record<string, unknown>): Record<string, unknown> {
  return {
    phase: 'Running',
    containerStatuses: [
      { name: 'app', ready: true, restartCount, image: 'x', imageID: 'x', state },
    ],
  };
}

const running = appStatus(0, { running: { startedAt: '2026-01-01T10:00:00Z' } });

function pod(name: string, status = running, podLabels = labels): void {
  putPod(api, { namespace: ns, name, labels: podLabels, status });
}

const logPath = (podName: string): string => `/api/v1/namespaces/${ns}/pods/${podName}/log`;

/** Serves each pod's log (`previous` ones apart) as the kubelet would, with timestamps. */
function serveLogs(logs: Record<string, readonly string[]>): void {
  api.on((request) => {
    const match = /^\/api\/v1\/namespaces\/[^/]+\/pods\/([^/]+)\/log$/.exec(request.path);
    if (match === null) return undefined;
    const key = request.query.get('previous') === 'true' ? `${match[1]}/previous` : match[1];
    const lines = logs[key ?? ''];
    if (lines === undefined) {
      return statusReply(400, 'BadRequest', `container "app" in pod "${match[1]}" is waiting`);
    }
    return {
      stream: (response) => {
        response.writeHead(200, { 'content-type': 'text/plain' });
        response.end(lines.map((line) => `${line}\n`).join(''));
      },
    };
  });
}

function query(overrides: Partial<ServiceLogQuery> = {}): ServiceLogQuery {
  return { limit: 1000, signal: new AbortController().signal, ...overrides };
}

const logRequests = (): RecordedRequest[] =>
  api.requests.filter((request) => request.path.endsWith('/log'));

describe('KubernetesRuntimeDriver service logs (stand-in API server)', () => {
  it("merges every pod's lines by time, each tagged with its pod, oldest first", async () => {
    pod('web-a');
    pod('web-b');
    pod('other-a', running, { [LABELS.serviceId]: 'svc-other' });
    serveLogs({
      'web-a': ['2026-01-01T10:00:00.100000001Z a: listening', '2026-01-01T10:00:03Z a: GET /'],
      'web-b': ['2026-01-01T10:00:00.100000000Z b: listening', '2026-01-01T10:00:02.5Z b: GET /'],
      'other-a': ['2026-01-01T10:00:01Z not this service'],
    });

    await expect(driver.serviceLogs(ref, query())).resolves.toEqual([
      {
        instance: 'web-b',
        timestamp: new Date('2026-01-01T10:00:00.100Z'),
        message: 'b: listening',
      },
      {
        instance: 'web-a',
        timestamp: new Date('2026-01-01T10:00:00.100Z'),
        message: 'a: listening',
      },
      { instance: 'web-b', timestamp: new Date('2026-01-01T10:00:02.500Z'), message: 'b: GET /' },
      { instance: 'web-a', timestamp: new Date('2026-01-01T10:00:03Z'), message: 'a: GET /' },
    ]);
    expect(
      logRequests()
        .map((r) => r.path)
        .sort(),
    ).toEqual([logPath('web-a'), logPath('web-b')]);
    for (const request of logRequests()) {
      expect(request.query.get('container')).toBe('app');
      expect(request.query.get('timestamps')).toBe('true');
      expect(request.query.get('follow')).toBe('false');
      // Neither an end nor a filter: the kubelet can cut to the newest lines itself.
      expect(request.query.get('tailLines')).toBe('1000');
      expect(request.query.get('sinceTime')).toBeNull();
    }
  });

  it('also reads the log of the container a restart replaced', async () => {
    pod('web-a', appStatus(2, { running: { startedAt: '2026-01-01T10:05:00Z' } }));
    serveLogs({
      'web-a/previous': ['2026-01-01T10:00:00Z panic: out of memory'],
      'web-a': ['2026-01-01T10:05:00Z listening again'],
    });
    const lines = await driver.serviceLogs(ref, query());
    expect(lines.map((line) => `${line.instance}: ${line.message}`)).toEqual([
      'web-a: panic: out of memory',
      'web-a: listening again',
    ]);
    expect(
      logRequests()
        .map((r) => r.query.get('previous'))
        .sort(),
    ).toEqual(['false', 'true']);
  });

  it('keeps the newest `limit` lines of the window that contain the filter', async () => {
    pod('web-a');
    pod('web-b');
    serveLogs({
      'web-a': [
        '2026-01-01T09:59:59.999Z ERROR before the window',
        '2026-01-01T10:00:00Z ERROR a1',
        '2026-01-01T10:00:02Z ERROR a2',
        '2026-01-01T10:00:03.5Z error in lower case',
        '2026-01-01T10:00:04Z warn: upstream said ERROR',
        '2026-01-01T10:00:05Z ERROR at the end: excluded',
      ],
      'web-b': ['2026-01-01T10:00:01Z ERROR b1', '2026-01-01T10:00:03Z Error b2', 'no timestamp'],
    });
    const lines = await driver.serviceLogs(
      ref,
      query({
        start: new Date('2026-01-01T10:00:00.500Z'),
        end: new Date('2026-01-01T10:00:05Z'),
        filter: 'ERROR',
        limit: 2,
      }),
    );
    expect(lines.map((line) => line.message)).toEqual(['ERROR a2', 'warn: upstream said ERROR']);
    for (const request of logRequests()) {
      // The API server takes whole seconds; the driver checks the exact window itself.
      expect(request.query.get('sinceTime')).toBe('2026-01-01T10:00:00Z');
      // A filter or an end makes the last lines the wrong ones to cut to.
      expect(request.query.get('tailLines')).toBeNull();
    }
  });

  it('skips pods whose container has not started and pods deleted meanwhile', async () => {
    pod('web-a');
    pod('web-b', { phase: 'Pending' });
    pod('web-c');
    serveLogs({ 'web-a': ['2026-01-01T10:00:00Z a: up'] });
    api.on((request) =>
      request.path === logPath('web-c')
        ? statusReply(404, 'NotFound', 'pods "web-c" not found')
        : undefined,
    );
    const lines = await driver.serviceLogs(ref, query());
    expect(lines.map((line) => line.message)).toEqual(['a: up']);
    expect(logRequests()).toHaveLength(3);
  });

  it('answers no lines when the project namespace does not exist', async () => {
    api.on((request) =>
      request.path.startsWith(`/api/v1/namespaces/${ns}/`)
        ? statusReply(404, 'NotFound', `namespaces "${ns}" not found`)
        : undefined,
    );
    await expect(driver.serviceLogs(ref, query())).resolves.toEqual([]);
  });

  it('fails with the pod named when the API server cannot serve a log', async () => {
    pod('web-a');
    api.on((request) =>
      request.path === logPath('web-a')
        ? statusReply(403, 'Forbidden', 'pods "web-a" is forbidden: cannot get resource pods/log')
        : undefined,
    );
    const failure = driver.serviceLogs(ref, query());
    await expect(failure).rejects.toThrow(KubernetesApiError);
    await expect(failure).rejects.toThrow(/read the logs of web-a/);
  });

  it('fails rather than answer part of a log when the connection is cut', async () => {
    pod('web-a');
    api.on((request) =>
      request.path === logPath('web-a')
        ? {
            stream: (response) => {
              response.writeHead(200, { 'content-type': 'text/plain' });
              response.write('2026-01-01T10:00:00Z first\n');
              setTimeout(() => response.socket?.destroy(), 20);
            },
          }
        : undefined,
    );
    await expect(driver.serviceLogs(ref, query())).rejects.toThrow(/read the logs of web-a/);
  });

  it('stops reading when the caller goes away', async () => {
    pod('web-a');
    let closed = false;
    api.on((request) =>
      request.path === logPath('web-a')
        ? {
            stream: (response) => {
              response.writeHead(200, { 'content-type': 'text/plain' });
              response.write('2026-01-01T10:00:00Z a huge log, still coming\n');
              response.on('close', () => (closed = true));
            },
          }
        : undefined,
    );
    const caller = new AbortController();
    const reading = driver.serviceLogs(ref, query({ signal: caller.signal }));
    await waitFor(() => logRequests().length === 1);
    caller.abort();
    await expect(reading).rejects.toThrow();
    await waitFor(() => closed);
  });
});
