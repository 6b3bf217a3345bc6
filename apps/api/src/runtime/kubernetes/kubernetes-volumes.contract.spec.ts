/**
 * A stateful service's volumes on the `kubernetes` runtime, against the stand-in API server:
 * the StatefulSet's claims listed per volume and ordinal (with which a running pod mounts),
 * and kept at deletion only when asked.
 */
import { LABELS, Size, type ServiceSpec } from '@slipway/k8s-spec';
import { type FakeKubeApi } from '@slipway/kube-client/testing';
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

const stateful: ServiceSpec = {
  ...spec,
  replicas: 2,
  volumes: [{ name: 'data', mountPath: '/data', size: Size.gibibytes(5) }],
};

/** The claims the StatefulSet controller makes: `<template>-<statefulset>-<ordinal>`. */
function claim(ordinal: number): void {
  api.put({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      namespace: names.namespace,
      name: `data-${names.base}-${ordinal}`,
      labels: { [LABELS.serviceId]: spec.service.id },
    },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } },
  });
}

async function deployStateful(): Promise<void> {
  simulateWorkload(api, {
    kind: 'StatefulSet',
    namespace: names.namespace,
    name: names.base,
    serviceId: spec.service.id,
    readyAfterTicks: 1,
  });
  await driver.rollout(stateful, rolloutOptions());
}

describe('KubernetesRuntimeDriver volumes (stand-in API server)', () => {
  it('lists the claims by volume and ordinal, those of a scaled-down ordinal included', async () => {
    await deployStateful();
    claim(1);
    claim(0);
    claim(2); // kept by a scale-down: no pod mounts it
    for (const pod of api.all('Pod')) {
      const ordinal = /-(\d+)$/.exec(pod.metadata.name ?? '')?.[1] ?? '0';
      pod.spec = {
        ...(pod.spec as object | undefined),
        volumes: [
          { name: 'data', persistentVolumeClaim: { claimName: `data-${names.base}-${ordinal}` } },
        ],
      };
      pod.status = { ...(pod.status as object), phase: 'Running' };
      api.put(pod);
    }
    const volumes = await driver.volumes(ref);
    expect(volumes.map((v) => [v.name, v.ordinal, v.size, v.usedBytes, v.runtimeName])).toEqual([
      ['data', 0, '5Gi', null, `data-${names.base}-0`],
      ['data', 1, '5Gi', null, `data-${names.base}-1`],
      ['data', 2, '5Gi', null, `data-${names.base}-2`],
    ]);
    expect(volumes.find((v) => v.ordinal === 2)?.attached).toBe(false);
  });

  it('answers no volumes for a project whose namespace does not exist yet', async () => {
    expect(await driver.volumes(ref)).toEqual([]);
  });

  it('tells the StatefulSet to retain its claims before deleting it when volumes are kept', async () => {
    await deployStateful();
    const mark = api.requests.length;
    await driver.delete(ref, [], { keepVolumes: true });
    const patches = api.requests
      .slice(mark)
      .filter((r) => r.method === 'PATCH')
      .map((r) => [r.path, JSON.parse(r.body ?? '{}') as unknown]);
    expect(patches).toEqual([
      [
        `/apis/apps/v1/namespaces/${names.namespace}/statefulsets/${names.base}`,
        { spec: { persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain' } } },
      ],
    ]);
  });

  it('deletes claims with the StatefulSet by default (its retention policy says Delete)', async () => {
    await deployStateful();
    const mark = api.requests.length;
    await driver.delete(ref, []);
    expect(api.requests.slice(mark).filter((r) => r.method === 'PATCH')).toEqual([]);
  });
});
