/**
 * The `kaniko` build driver against a stand-in Kubernetes API server (no cluster runs
 * here): what is applied where and in which order, the token's confinement, the log and
 * the digest, cancellation and API errors. Failed builds: kaniko-build-failures.contract.spec.ts.
 */
import { renderBuildJob } from '@slipway/k8s-spec';
import { statusReply, waitFor, type FakeKubeApi } from '@slipway/kube-client/testing';
import { BuildFailedError } from '../build-driver';
import type { KanikoBuildDriver } from './kaniko-build-driver';
import { BUNDLE_TOKEN, DIGEST, buildOptions, payload } from './testing/fixtures';
import {
  RecordingSink,
  failure,
  jobName,
  jobPath,
  namespace,
  script,
  secretPath,
  startDriver,
} from './testing/harness';
import { jobs, pods, runJobController } from './testing/job-controller';

const KANIKO_OUTPUT = [
  'INFO[0000] Retrieving image manifest slipway-test/busybox:latest',
  'INFO[0001] RUN echo building',
  'building',
  'INFO[0002] Pushing image to registry.slipway.local:5000/acme/default/web:dep-0100',
].join('\n');
let api: FakeKubeApi;
let driver: KanikoBuildDriver;

beforeEach(async () => {
  ({ api, driver } = await startDriver());
});

afterEach(() => api.close());

const succeeding = script({
  steps: [
    { pod: pods.fetching },
    { pod: pods.building },
    { pod: pods.pushed(DIGEST), job: jobs.complete },
  ],
  kanikoLog: `${KANIKO_OUTPUT}\n`,
});
describe('KanikoBuildDriver (stand-in API server)', () => {
  it('applies the namespace, then the token Secret, then the Job, as field manager slipway', async () => {
    runJobController(api, succeeding);
    await driver.build(payload, new RecordingSink(), new AbortController().signal);

    const applies = api.requests.filter((r) => r.method === 'PATCH');
    expect(applies.map((r) => r.path)).toEqual([
      `/api/v1/namespaces/${namespace}`,
      secretPath,
      jobPath,
    ]);
    const [secret, job] = renderBuildJob(payload, buildOptions);
    expect(applies.slice(1).map((r) => JSON.parse(r.body) as unknown)).toEqual([secret, job]);
    for (const apply of applies) {
      expect(apply.contentType).toBe('application/apply-patch+yaml');
      expect(apply.query.toString()).toBe('fieldManager=slipway&force=true');
    }
  });

  it('follows the kaniko log into the sink and returns the digest from the termination message', async () => {
    const controller = runJobController(api, succeeding);
    const sink = new RecordingSink();
    await expect(driver.build(payload, sink, new AbortController().signal)).resolves.toEqual({
      image: payload.destination,
      digest: DIGEST,
    });
    expect(sink.output).toEqual(KANIKO_OUTPUT.split('\n'));
    const logRequest = api.requests.find((r) => r.path.endsWith(`/pods/${controller.podName}/log`));
    expect(logRequest?.query.get('container')).toBe('kaniko');
    expect(logRequest?.query.get('follow')).toBe('true');
  });

  it('keeps the bundle token out of the Job, the pod spec and argv, and deletes its Secret after', async () => {
    runJobController(api, succeeding);
    await driver.build(payload, new RecordingSink(), new AbortController().signal);

    const header = Buffer.from(`Authorization: Bearer ${BUNDLE_TOKEN}`).toString('base64');
    expect(
      api.requests.filter((r) => r.body.includes(BUNDLE_TOKEN) || r.path.includes(BUNDLE_TOKEN)),
    ).toEqual([]);
    expect(api.calls((r) => r.body.includes(header))).toEqual([`PATCH ${secretPath}`]);
    expect(api.calls((r) => r.method === 'DELETE')).toEqual([`DELETE ${secretPath}`]);
    expect(api.get('v1', 'Secret', namespace, jobName)).toBeUndefined();
  });

  it('applies the build namespace once per driver', async () => {
    runJobController(api, succeeding);
    await driver.build(payload, new RecordingSink(), new AbortController().signal);
    await driver.build(payload, new RecordingSink(), new AbortController().signal);
    expect(
      api.calls((r) => r.method === 'PATCH' && r.path === `/api/v1/namespaces/${namespace}`),
    ).toHaveLength(1);
  });

  it('on cancellation stops following, deletes the Job (background propagation) and the Secret', async () => {
    const controller = runJobController(
      api,
      script({
        steps: [{ pod: pods.building }],
        kanikoLog: 'INFO[0000] RUN make\n',
        holdLogOpen: true,
      }),
    );
    const cancel = new AbortController();
    const sink = new RecordingSink();
    const build = driver.build(payload, sink, cancel.signal);
    await waitFor(() => sink.output.includes('INFO[0000] RUN make'));
    cancel.abort();
    await expect(build).rejects.toThrow(new Error('build cancelled'));

    const deletes = api.requests.filter((r) => r.method === 'DELETE');
    expect(deletes.map((r) => r.path)).toEqual([jobPath, secretPath]);
    expect(deletes[0]?.query.get('propagationPolicy')).toBe('Background');
    await waitFor(() => controller.logClosed());
  });

  it('keeps polling through transient API errors', async () => {
    const controller = runJobController(api, succeeding);
    let reads = 0;
    api.on((request) => {
      if (request.method !== 'GET' || request.path !== jobPath) return undefined;
      reads += 1;
      return reads === 2
        ? statusReply(503, 'ServiceUnavailable', 'etcd leader changed')
        : undefined;
    });
    await expect(
      driver.build(payload, new RecordingSink(), new AbortController().signal),
    ).resolves.toEqual({ image: payload.destination, digest: DIGEST });
    expect(controller.reads()).toBe(3);
  });

  it('replaces the Job and Secret an earlier attempt at the same build left behind', async () => {
    runJobController(api, succeeding);
    let rejected = false;
    api.on((request) => {
      if (request.method !== 'PATCH' || request.path !== secretPath || rejected) return undefined;
      rejected = true;
      return statusReply(
        422,
        'Invalid',
        'Secret "x" is invalid: data: Forbidden: field is immutable when `immutable` is set',
      );
    });
    const sink = new RecordingSink();
    await expect(driver.build(payload, sink, new AbortController().signal)).resolves.toEqual({
      image: payload.destination,
      digest: DIGEST,
    });

    expect(api.calls((r) => r.method !== 'GET')).toEqual([
      `PATCH /api/v1/namespaces/${namespace}`,
      `PATCH ${secretPath}`,
      `DELETE ${jobPath}`,
      `DELETE ${secretPath}`,
      `PATCH ${secretPath}`,
      `PATCH ${jobPath}`,
      `DELETE ${secretPath}`,
    ]);
    expect(sink.entries).toContainEqual({
      line: `replacing build job ${jobName} left by an earlier attempt`,
      stream: 'system',
    });
  });

  it('reports refused credentials as an infrastructure error', async () => {
    api.on(() =>
      statusReply(
        403,
        'Forbidden',
        'jobs.batch is forbidden: User "system:serviceaccount:slipway:builder" cannot patch',
      ),
    );
    const error = await failure(
      driver.build(payload, new RecordingSink(), new AbortController().signal),
    );
    expect(error).not.toBeInstanceOf(BuildFailedError);
    expect(error.message).toContain(
      "the Kubernetes API refused the builder's credentials (403): jobs.batch is forbidden",
    );
  });
});
