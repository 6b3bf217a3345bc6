/**
 * How the `kaniko` build driver reports builds that end badly (a failing step, a missing
 * Dockerfile, a failed download, the deadline, a pod that cannot start), against a
 * stand-in Kubernetes API server (no cluster runs here).
 */
import type { BuildJobPayload } from '@slipway/contracts';
import type { FakeKubeApi } from '@slipway/kube-client/testing';
import { BuildFailedError } from '../build-driver';
import { GIT_NEEDS_DOCKER_DRIVER, type KanikoBuildDriver } from './kaniko-build-driver';
import { payload } from './testing/fixtures';
import {
  RecordingSink,
  failure,
  jobPath,
  script,
  secretPath,
  startDriver,
} from './testing/harness';
import { jobs, pods, runJobController } from './testing/job-controller';

let api: FakeKubeApi;
let driver: KanikoBuildDriver;

beforeEach(async () => {
  ({ api, driver } = await startDriver());
});

afterEach(() => api.close());

describe('KanikoBuildDriver failed builds (stand-in API server)', () => {
  it('fails a build whose RUN step fails with the last 20 log lines and the exit code', async () => {
    const output = Array.from({ length: 30 }, (_, i) => `step output ${i + 1}`);
    output.push(
      'error building image: error building stage: failed to execute command: waiting for process to exit: exit status 3',
    );
    runJobController(
      api,
      script({
        steps: [
          { pod: pods.building },
          {
            pod: pods.buildFailed(1),
            job: jobs.failed('BackoffLimitExceeded', 'Job has reached the specified backoff limit'),
          },
        ],
        kanikoLog: `${output.join('\n')}\n`,
      }),
    );
    const sink = new RecordingSink();
    const error = await failure(driver.build(payload, sink, new AbortController().signal));

    expect(error).toBeInstanceOf(BuildFailedError);
    expect((error as BuildFailedError).reason).toBe(
      ['the build failed: kaniko exited with code 1 (Error)', ...output.slice(-20)].join('\n'),
    );
    expect(sink.output).toEqual(output);
    expect(api.calls((r) => r.method === 'DELETE')).toEqual([`DELETE ${secretPath}`]);
  });

  it('says so when the Dockerfile is missing', async () => {
    runJobController(
      api,
      script({
        steps: [{ pod: pods.buildFailed(1), job: jobs.failed('BackoffLimitExceeded', 'backoff') }],
        kanikoLog:
          'Error: error resolving dockerfile path: please provide a valid path to a Dockerfile within the build context with --dockerfile\n',
      }),
    );
    await expect(
      driver.build(payload, new RecordingSink(), new AbortController().signal),
    ).rejects.toThrow(
      'Dockerfile not found: Dockerfile (build context .)\nError: error resolving dockerfile path',
    );
  });

  it("reports a failed bundle download with the download's own output", async () => {
    const controller = runJobController(
      api,
      script({
        steps: [
          { pod: pods.fetching },
          { pod: pods.fetchFailed, job: jobs.failed('BackoffLimitExceeded', 'backoff') },
        ],
        fetchLog: 'curl: (22) The requested URL returned error: 403\n',
      }),
    );
    const sink = new RecordingSink();
    const error = await failure(driver.build(payload, sink, new AbortController().signal));

    expect(error).toEqual(
      new BuildFailedError(
        'could not download the source bundle: curl: (22) The requested URL returned error: 403',
      ),
    );
    expect(sink.output).toEqual(['curl: (22) The requested URL returned error: 403']);
    const logRequest = api.requests.find((r) => r.path.endsWith(`/pods/${controller.podName}/log`));
    expect(logRequest?.query.get('container')).toBe('fetch-bundle');
  });

  it('fails a git build at once, creating nothing: only the docker driver clones', async () => {
    const { bundle: _bundle, ...rest } = payload;
    const fromGit: BuildJobPayload = {
      ...rest,
      git: { url: 'https://github.com/acme/web.git', branch: 'main' },
    };

    const error = await failure(
      driver.build(fromGit, new RecordingSink(), new AbortController().signal),
    );

    expect(error).toEqual(new BuildFailedError(GIT_NEEDS_DOCKER_DRIVER));
    expect(GIT_NEEDS_DOCKER_DRIVER).toBe(
      'deploying from a git repository needs the docker build driver (SLIPWAY_BUILD_DRIVER=docker); the kaniko driver builds uploaded source bundles',
    );
    expect(api.requests).toEqual([]);
  });

  it('reports the Job deadline as a timeout', async () => {
    runJobController(
      api,
      script({
        steps: [
          { pod: pods.building },
          { job: jobs.failed('DeadlineExceeded', 'Job was active longer than specified deadline') },
        ],
        kanikoLog: 'INFO[0000] RUN sleep 100000\n',
      }),
    );
    await expect(
      driver.build(payload, new RecordingSink(), new AbortController().signal),
    ).rejects.toThrow(
      new BuildFailedError('build timed out after 900s\nINFO[0000] RUN sleep 100000'),
    );
  });

  it('reports a build killed at the Job deadline as a timeout before the Job says so', async () => {
    const longAgo = new Date(Date.now() - 3600_000).toISOString();
    runJobController(
      api,
      script({
        steps: [
          { pod: pods.building, job: jobs.runningSince(longAgo) },
          { pod: pods.buildFailed(137), job: jobs.runningSince(longAgo) },
        ],
        kanikoLog: 'INFO[0000] RUN sleep 100000\n',
      }),
    );
    await expect(
      driver.build(payload, new RecordingSink(), new AbortController().signal),
    ).rejects.toThrow(
      new BuildFailedError('build timed out after 900s\nINFO[0000] RUN sleep 100000'),
    );
  });

  it('treats a pod that cannot pull the executor as an infrastructure error and removes its Job', async () => {
    runJobController(api, script({ steps: [{ pod: pods.executorUnpullable }] }));
    const error = await failure(
      driver.build(payload, new RecordingSink(), new AbortController().signal),
    );
    expect(error).not.toBeInstanceOf(BuildFailedError);
    expect(error.message).toBe(
      'the build pod cannot start: container "kaniko" ImagePullBackOff: Back-off pulling image "cgr.dev/chainguard/kaniko:latest"',
    );
    expect(api.calls((r) => r.method === 'DELETE')).toEqual([
      `DELETE ${jobPath}`,
      `DELETE ${secretPath}`,
    ]);
  });

  it('refuses a termination message that is not a digest', async () => {
    runJobController(api, script({ steps: [{ pod: pods.pushed('latest'), job: jobs.complete }] }));
    const error = await failure(
      driver.build(payload, new RecordingSink(), new AbortController().signal),
    );
    expect(error).not.toBeInstanceOf(BuildFailedError);
    expect(error.message).toContain('without a valid image digest');
  });

  it('does not wait forever when the Job completed but its pod is gone', async () => {
    runJobController(api, script({ steps: [{ job: jobs.complete }] }));
    const error = await failure(
      driver.build(payload, new RecordingSink(), new AbortController().signal),
    );
    expect(error).not.toBeInstanceOf(BuildFailedError);
    expect(error.message).toBe(
      'the build Job completed but its pod, and with it the digest, is gone',
    );
  });
});
