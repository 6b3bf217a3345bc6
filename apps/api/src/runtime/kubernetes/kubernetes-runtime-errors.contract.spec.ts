/**
 * How the `kubernetes` runtime handles API errors during a rollout (conflicts, stale
 * reads, refused credentials, timeouts), against a stand-in API server (no cluster here).
 */
import { statusReply, type FakeKubeApi } from '@slipway/kube-client/testing';
import { RolloutFailedError } from '../runtime-driver';
import { KubernetesRuntimeDriver } from './kubernetes-runtime.driver';
import { runDeploymentController } from './testing/deployment-controller';
import { deploymentPath, names, platform, script, spec } from './testing/fixtures';
import { applies, rolloutOptions, startDriver } from './testing/harness';

let api: FakeKubeApi;
let driver: KubernetesRuntimeDriver;

beforeEach(async () => {
  ({ api, driver } = await startDriver());
});

afterEach(() => api.close());

describe('KubernetesRuntimeDriver.rollout API errors (stand-in API server)', () => {
  it('retries an apply once after a 409 conflict', async () => {
    runDeploymentController(api, { ...script, readyAfterPolls: 1 });
    let conflicts = 0;
    api.on((request) => {
      if (request.method !== 'PATCH' || request.path !== deploymentPath || conflicts > 0)
        return undefined;
      conflicts += 1;
      return statusReply(
        409,
        'Conflict',
        'Operation cannot be fulfilled: the object has been modified',
      );
    });
    await driver.rollout(spec, rolloutOptions());
    expect(applies(api).filter((r) => r.path === deploymentPath)).toHaveLength(2);
  });

  it('gives up after a second 409 with the API server message', async () => {
    api.on((request) =>
      request.method === 'PATCH' && request.path === deploymentPath
        ? statusReply(
            409,
            'Conflict',
            'Operation cannot be fulfilled on deployments.apps: object is being deleted',
          )
        : undefined,
    );
    await expect(driver.rollout(spec, rolloutOptions())).rejects.toThrow(
      new RolloutFailedError(
        `the cluster rejected Deployment ${names.namespace}/${names.base}: Operation cannot be fulfilled on deployments.apps: object is being deleted`,
      ),
    );
  });

  it('keeps polling through 410 Gone and other transient read errors', async () => {
    const controller = runDeploymentController(api, { ...script, readyAfterPolls: 3 });
    let reads = 0;
    api.on((request) => {
      if (request.method !== 'GET' || request.path !== deploymentPath) return undefined;
      reads += 1;
      if (reads === 1) return statusReply(410, 'Expired', 'too old resource version');
      if (reads === 2) return statusReply(503, 'ServiceUnavailable', 'etcd leader changed');
      return undefined;
    });
    await driver.rollout(spec, rolloutOptions());
    expect(controller.polls()).toBe(3);
  });

  it('reports refused credentials as an infrastructure error, not a rollout failure', async () => {
    api.on(() =>
      statusReply(
        403,
        'Forbidden',
        'namespaces is forbidden: User "system:serviceaccount:x" cannot patch',
      ),
    );
    const failure = driver.rollout(spec, rolloutOptions());
    await expect(failure).rejects.toThrow(
      /refused the runtime's credentials \(403\): namespaces is forbidden/,
    );
    await expect(failure).rejects.not.toThrow(RolloutFailedError);
  });

  it('bounds each request by requestTimeoutMs', async () => {
    driver = new KubernetesRuntimeDriver(api.kubeConfig(), { platform, requestTimeoutMs: 200 });
    api.on((request) => (request.method === 'PATCH' ? { stream: () => undefined } : undefined));
    await expect(driver.rollout(spec, rolloutOptions())).rejects.toThrow(
      `apply Namespace ${names.namespace}: the Kubernetes API did not answer within 200 ms`,
    );
  });

  it('refuses an invalid spec as a rollout failure without calling the API', async () => {
    await expect(driver.rollout({ ...spec, replicas: -1 }, rolloutOptions())).rejects.toThrow(
      /the service spec is invalid: .*replicas/,
    );
    expect(api.requests).toEqual([]);
  });
});
