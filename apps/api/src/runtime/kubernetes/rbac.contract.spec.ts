/**
 * The API's ClusterRole covers every call the `kubernetes` runtime makes over a service's
 * whole life (rollout, scale, restart, reads, logs, usage, domains, delete), and each of
 * its rules is one the runtime uses (least privilege).
 */
import { API_PERMISSIONS, renderApiClusterRole } from '@slipway/k8s-spec';
import {
  grantedBy,
  permissionOf,
  schemaProblems,
  type FakeKubeApi,
} from '@slipway/kube-client/testing';
import type { KubernetesRuntimeDriver } from './kubernetes-runtime.driver';
import { names, ref, spec } from './testing/fixtures';
import { rolloutOptions, startDriver } from './testing/harness';
import { simulateWorkload } from './testing/workload-simulator';

let api: FakeKubeApi;
let driver: KubernetesRuntimeDriver;

beforeEach(async () => {
  ({ api, driver } = await startDriver());
});

afterEach(() => api.close());

function granted(): Set<string> {
  return grantedBy(API_PERMISSIONS);
}

describe('the API ClusterRole', () => {
  it("grants exactly what the runtime calls over a service's whole life", async () => {
    const sim = simulateWorkload(api, {
      kind: 'Deployment',
      namespace: names.namespace,
      name: names.base,
      serviceId: spec.service.id,
      readyAfterTicks: 1,
    });
    // Every pod's log, as the kubelet serves it.
    api.on((request) =>
      request.path.endsWith('/log')
        ? {
            stream: (response) => {
              response.writeHead(200, { 'content-type': 'text/plain' });
              response.end('2026-01-01T10:00:00Z listening\n');
            },
          }
        : undefined,
    );
    await driver.rollout(spec, rolloutOptions());
    await driver.scale({ ...spec, replicas: 2 }, rolloutOptions());
    await driver.restart({ ...spec, replicas: 2 }, rolloutOptions());
    await driver.instances(ref);
    await driver.endpoints(ref);
    const [pod] = sim.pods();
    const stream = await driver.logs(ref, String(pod?.metadata.name), {
      tailLines: 10,
      follow: false,
      signal: new AbortController().signal,
    });
    stream.resume();
    await driver.serviceLogs(ref, { limit: 10, signal: new AbortController().signal });
    await driver.usage(ref).catch(() => undefined); // no metrics-server here: still a call
    await driver.applyDomains(ref, ['www.example.com']);
    await driver.applyDomains(ref, []);
    await driver.delete(ref, [], { force: true });

    const called = new Set(
      api.requests.map(permissionOf).filter((p): p is string => p !== undefined),
    );
    expect([...called].filter((p) => !granted().has(p)).sort()).toEqual([]);
    // Every rule is exercised here, except verbs only other paths reach: creating on first
    // apply is authorised as create (the stand-in records it as a patch), StatefulSets are
    // for stateful services, HPAs and PDBs for autoscaled or replicated ones, and events
    // are read as failure evidence.
    const elsewhere = (p: string): boolean =>
      p.endsWith(' create') || /^apps statefulsets |^autoscaling |^policy | events list$/.test(p);
    expect([...granted()].filter((p) => !called.has(p) && !elsewhere(p)).sort()).toEqual([]);
  });

  it('renders as a valid ClusterRole with one rule per group and resource', () => {
    const role = renderApiClusterRole();
    expect(schemaProblems(role)).toEqual([]);
    expect(role.rules).toHaveLength(API_PERMISSIONS.length);
  });
});
