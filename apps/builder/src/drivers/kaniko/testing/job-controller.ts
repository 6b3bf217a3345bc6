/**
 * Plays the Job controller and kubelet inside the stand-in: each time the driver reads
 * the Job, the build moves to the next scripted step (Job status and pod status), and the
 * pod's log endpoint serves the scripted output.
 */
import { objectPath, onEachRead, putPod, type FakeKubeApi } from '@slipway/kube-client/testing';

export interface BuildStep {
  readonly job?: Record<string, unknown>;
  /** Pod status; no pod while undefined. */
  readonly pod?: Record<string, unknown>;
}

export interface BuildScript {
  readonly namespace: string;
  readonly jobName: string;
  /** Steps for successive reads of the Job; the last one repeats. */
  readonly steps: readonly BuildStep[];
  /** What the kaniko container printed (served, then the stream ends as the container did). */
  readonly kanikoLog?: string;
  /** What the fetch-bundle init container printed. */
  readonly fetchLog?: string;
  /** Keep the kaniko log stream open after its output (the container still runs). */
  readonly holdLogOpen?: boolean;
}

export interface JobController {
  readonly podName: string;
  readonly reads: () => number;
  /** Whether the driver closed the kaniko log stream it was following. */
  readonly logClosed: () => boolean;
}

// The Job's deadline counts from its start: now, as far as the tests are concerned.
const STARTED = new Date().toISOString();
const container = (name: string, state: Record<string, unknown>): Record<string, unknown> => ({
  name,
  state,
  ready: false,
  restartCount: 0,
  image: name,
  imageID: '',
});
const terminated = (
  exitCode: number,
  extra: Record<string, unknown> = {},
): Record<string, unknown> => ({
  terminated: { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', ...extra },
});

export const pods = {
  fetching: {
    phase: 'Pending',
    initContainerStatuses: [container('fetch-bundle', { running: { startedAt: STARTED } })],
    containerStatuses: [container('kaniko', { waiting: { reason: 'PodInitializing' } })],
  },
  building: {
    phase: 'Running',
    initContainerStatuses: [container('fetch-bundle', terminated(0))],
    containerStatuses: [container('kaniko', { running: { startedAt: STARTED } })],
  },
  pushed: (digest: string) => ({
    phase: 'Succeeded',
    initContainerStatuses: [container('fetch-bundle', terminated(0))],
    containerStatuses: [container('kaniko', terminated(0, { message: `${digest}\n` }))],
  }),
  buildFailed: (exitCode: number) => ({
    phase: 'Failed',
    initContainerStatuses: [container('fetch-bundle', terminated(0))],
    containerStatuses: [container('kaniko', terminated(exitCode))],
  }),
  fetchFailed: {
    phase: 'Failed',
    initContainerStatuses: [container('fetch-bundle', terminated(22))],
    containerStatuses: [container('kaniko', { waiting: { reason: 'PodInitializing' } })],
  },
  executorUnpullable: {
    phase: 'Pending',
    initContainerStatuses: [container('fetch-bundle', terminated(0))],
    containerStatuses: [
      container('kaniko', {
        waiting: {
          reason: 'ImagePullBackOff',
          message: 'Back-off pulling image "cgr.dev/chainguard/kaniko:latest"',
        },
      }),
    ],
  },
};

export const jobs = {
  running: { startTime: STARTED, active: 1 },
  runningSince: (startTime: string) => ({ startTime, active: 1 }),
  complete: {
    startTime: STARTED,
    succeeded: 1,
    conditions: [{ type: 'Complete', status: 'True' }],
  },
  failed: (reason: string, message: string) => ({
    startTime: STARTED,
    failed: 1,
    conditions: [{ type: 'Failed', status: 'True', reason, message }],
  }),
};

export function runJobController(api: FakeKubeApi, script: BuildScript): JobController {
  const { namespace, jobName } = script;
  const podName = `${jobName}-q7x2z`;
  let logClosed = false;
  const reads = onEachRead(
    api,
    { apiVersion: 'batch/v1', kind: 'Job', namespace, name: jobName },
    (job, read) => {
      const step = script.steps[Math.min(read - 1, script.steps.length - 1)] ?? {};
      api.put({ ...job, status: step.job ?? jobs.running });
      if (step.pod === undefined) return;
      putPod(api, { namespace, name: podName, labels: { 'job-name': jobName }, status: step.pod });
    },
  );
  const logPath = `${objectPath('v1', 'Pod', namespace, podName)}/log`;
  api.on((request) => {
    if (request.path !== logPath) return undefined;
    const output =
      request.query.get('container') === 'fetch-bundle' ? script.fetchLog : script.kanikoLog;
    return {
      stream: (response) => {
        response.on('close', () => (logClosed = true));
        response.writeHead(200, { 'content-type': 'text/plain' });
        if (script.holdLogOpen === true) response.write(output ?? '');
        else response.end(output ?? '');
      },
    };
  });
  return { podName, reads, logClosed: () => logClosed };
}
