/**
 * The `kaniko` build driver against the cluster under test: the stand-in API server here,
 * or a real cluster when SLIPWAY_TEST_KUBECONFIG names a kubeconfig file. Only what both
 * show the same way is asserted: what `build` resolves or rejects with, what reaches the
 * build log, and what is left in the cluster. The stand-in has no Job controller, kubelet
 * or kaniko, so there (and only there) each test plays its build's Job; on a cluster the
 * real Job runs. Requests sent and every other failure are covered stand-in only
 * (kaniko-build-driver.contract.spec.ts, kaniko-build-failures.contract.spec.ts).
 *
 * Against a real cluster (kind, or any cluster where you may create namespaces), from apps/builder:
 *
 *   SLIPWAY_TEST_KUBECONFIG=~/.kube/config \
 *   SLIPWAY_TEST_KANIKO_REGISTRY=kind-registry:5000 \
 *   SLIPWAY_TEST_KANIKO_BUNDLE_URL=http://bundles.default.svc/context.tar.gz \
 *     npx jest src/drivers/kaniko/kaniko-cluster.contract.spec.ts
 *
 * Both addresses must be reachable from the cluster's pods: the registry takes anonymous
 * pushes over plain HTTP, the bundle is a .tar.gz with a Dockerfile at its root, and the
 * same URL with `.missing` appended answers 404 (as any static file server does). Without
 * them the spec fails, naming them. Each run builds in a namespace of its own, deleted at
 * the end; the pushed images (tags `dep-ct-<run>-<n>`) stay in the registry.
 */
import { randomBytes } from 'node:crypto';
import type { V1Job } from '@kubernetes/client-node';
import type { BuildJobPayload } from '@slipway/contracts';
import {
  Cpu,
  Size,
  buildJobName,
  renderBuildNamespace,
  type BuildOptions,
} from '@slipway/k8s-spec';
import { createKubeApis, deleteObject, isNotFound, type KubeApis } from '@slipway/kube-client';
import { endClusterTest, eventually } from '@slipway/kube-client/testing';
import { BuildFailedError } from '../build-driver';
import { KanikoBuildDriver } from './kaniko-build-driver';
import {
  clusterKind,
  startClusterUnderTest,
  type ClusterUnderTest,
} from './testing/cluster-under-test';
import { DIGEST, payload } from './testing/fixtures';
import { RecordingSink, failure } from './testing/harness';
import { jobs, pods, runJobController, type BuildStep } from './testing/job-controller';

const target = clusterKind();
const onCluster = target === 'cluster';
/** A cluster pulls the executor and base images and runs the build: minutes. */
const WAIT_MS = onCluster ? 180_000 : 10_000;
const TEST_TIMEOUT_MS = onCluster ? 900_000 : 30_000;

const run = randomBytes(3).toString('hex');
/** One build namespace per run: deleting it removes whatever the run left. */
const namespace = `slipway-builds-ct-${run}`;
const REGISTRY_SECRET = 'slipway-registry';
const TEST_MANAGER = 'slipway-contract-test';

/** Credentials for anonymous pushes, as the build pod mounts them. */
const registrySecret = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: REGISTRY_SECRET, namespace },
  type: 'kubernetes.io/dockerconfigjson',
  data: { '.dockerconfigjson': Buffer.from('{"auths":{}}').toString('base64') },
};

let cluster: ClusterUnderTest | undefined;
let driver: KanikoBuildDriver;
let apis: KubeApis;
let sequence = 0;
/** Jobs the running test started, deleted after it. */
const made: string[] = [];

beforeAll(async () => {
  cluster = await startClusterUnderTest();
  apis = createKubeApis(cluster.kubeConfig, { caller: 'the test', requestTimeoutMs: 30_000 });
  driver = new KanikoBuildDriver({
    kubeConfig: cluster.kubeConfig,
    build: buildOptions(cluster.build.registry),
    pollIntervalMs: onCluster ? 1000 : 10,
    requestTimeoutMs: onCluster ? 30_000 : 10_000,
  });
  // What an installation provides: the build namespace and the registry credentials in it.
  await apis.objects.apply(renderBuildNamespace({ namespace }), TEST_MANAGER);
  await apis.objects.apply(registrySecret, TEST_MANAGER);
}, TEST_TIMEOUT_MS);

afterEach(async () => {
  for (const name of made.splice(0)) {
    await deleteObject(
      apis,
      { apiVersion: 'batch/v1', kind: 'Job', namespace, name },
      'Background',
    );
  }
}, TEST_TIMEOUT_MS);

afterAll(() => endClusterTest(cluster, apis, namespace), TEST_TIMEOUT_MS);

function buildOptions(registry: string): BuildOptions {
  return {
    registrySecretName: REGISTRY_SECRET,
    namespace,
    insecureRegistries: [registry],
    // Small enough for a kind node; a test bundle builds in little.
    requests: {
      cpu: Cpu.millis(100),
      memory: Size.mebibytes(256),
      ephemeralStorage: Size.mebibytes(512),
    },
    limits: { cpu: Cpu.cores(1), memory: Size.gibibytes(1), ephemeralStorage: Size.gibibytes(4) },
    activeDeadlineSeconds: 600,
    // A cluster pulls the executor for real: the workflow names one it can pull anonymously.
    ...(process.env.SLIPWAY_TEST_KANIKO_EXECUTOR_IMAGE
      ? { executorImage: process.env.SLIPWAY_TEST_KANIKO_EXECUTOR_IMAGE }
      : {}),
  };
}

/** A build of this test's own: fresh deployment id (so Job name) and image tag. */
function freshBuild(docker: BuildJobPayload['docker'] = payload.docker): typeof payload {
  if (cluster === undefined) throw new Error('no cluster under test');
  sequence += 1;
  const deploymentId = `dep-ct-${run}-${sequence}`;
  const build = {
    ...payload,
    deploymentId,
    serviceId: `svc-ct-${run}`,
    bundle: { ...payload.bundle, url: cluster.build.bundleUrl },
    docker,
    destination: `${cluster.build.registry}/slipway-contract/web:${deploymentId}`,
  };
  made.push(buildJobName(build));
  return build;
}

/**
 * The stand-in has no Job controller: there the test plays the build's Job through
 * `steps`, with what kaniko (and the download) print. On a cluster the real Job runs.
 */
function playJobOnStandIn(
  build: typeof payload,
  steps: readonly BuildStep[],
  printed: { readonly kanikoLog?: string; readonly fetchLog?: string },
): void {
  if (cluster?.kind !== 'stand-in') return;
  runJobController(cluster.api, { namespace, jobName: buildJobName(build), steps, ...printed });
}

function signal(): AbortSignal {
  return new AbortController().signal;
}

async function secretExists(name: string): Promise<boolean> {
  try {
    await apis.core.readNamespacedSecret({ namespace, name });
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

function hasCondition(job: V1Job, type: string): boolean {
  return job.status?.conditions?.some((c) => c.type === type && c.status === 'True') ?? false;
}

describe(`KanikoBuildDriver against the ${target}`, () => {
  it(
    'builds the bundle and pushes the image: its digest back, the output logged, the token spent',
    async () => {
      const build = freshBuild();
      const jobName = buildJobName(build);
      playJobOnStandIn(
        build,
        [
          { pod: pods.fetching },
          { pod: pods.building },
          { pod: pods.pushed(DIGEST), job: jobs.complete },
        ],
        {
          kanikoLog: `INFO[0000] Retrieving image manifest busybox\nINFO[0001] Pushing image to ${build.destination}\n`,
        },
      );
      const sink = new RecordingSink();

      await expect(driver.build(build, sink, signal())).resolves.toEqual({
        image: build.destination,
        digest: expect.stringMatching(/^sha256:[a-f0-9]{64}$/) as string,
      });

      expect(sink.entries).toContainEqual({
        line: `build job ${namespace}/${jobName} started`,
        stream: 'system',
      });
      expect(sink.output).not.toEqual([]); // kaniko's own lines
      // The one-time token is spent: its Secret is gone. The Job stays for its TTL, complete.
      await expect(secretExists(jobName)).resolves.toBe(false);
      const job = await eventually(
        () => apis.batch.readNamespacedJob({ namespace, name: jobName }),
        (read) => hasCondition(read, 'Complete'),
        WAIT_MS,
      );
      expect(job.status?.succeeded).toBe(1);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'fails a build whose Dockerfile is not in the bundle, naming the file it looked for',
    async () => {
      const build = freshBuild({ file: 'no-such-dir/Dockerfile', context: '.' });
      playJobOnStandIn(
        build,
        [
          { pod: pods.building },
          {
            pod: pods.buildFailed(1),
            job: jobs.failed('BackoffLimitExceeded', 'Job has reached the specified backoff limit'),
          },
        ],
        {
          kanikoLog:
            'Error: error resolving dockerfile path: please provide a valid path to a Dockerfile within the build context with --dockerfile\n',
        },
      );
      const sink = new RecordingSink();

      const error = await failure(driver.build(build, sink, signal()));

      expect(error).toBeInstanceOf(BuildFailedError);
      expect((error as BuildFailedError).reason.split('\n')[0]).toBe(
        'Dockerfile not found: no-such-dir/Dockerfile (build context .)',
      );
      expect(sink.output).toContainEqual(
        expect.stringContaining('error resolving dockerfile path'),
      );
      await expect(secretExists(buildJobName(build))).resolves.toBe(false);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "fails a build whose bundle cannot be downloaded, quoting the download's error",
    async () => {
      const base = freshBuild();
      const build = { ...base, bundle: { ...base.bundle, url: `${base.bundle.url}.missing` } };
      playJobOnStandIn(
        build,
        [
          { pod: pods.fetching },
          {
            pod: pods.fetchFailed,
            job: jobs.failed('BackoffLimitExceeded', 'Job has reached the specified backoff limit'),
          },
        ],
        { fetchLog: 'curl: (22) The requested URL returned error: 404\n' },
      );

      const error = await failure(driver.build(build, new RecordingSink(), signal()));

      expect(error).toBeInstanceOf(BuildFailedError);
      expect((error as BuildFailedError).reason).toMatch(
        /^could not download the source bundle: curl: \(\d+\) /,
      );
      await expect(secretExists(buildJobName(build))).resolves.toBe(false);
    },
    TEST_TIMEOUT_MS,
  );
});
