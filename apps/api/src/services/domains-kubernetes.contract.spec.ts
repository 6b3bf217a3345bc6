/**
 * Custom domains through the API on the `kubernetes` runtime, against a stand-in API server
 * (no cluster runs here): a change reaches the cluster's Ingresses at once, and a cluster
 * that refuses it leaves the domains as they were.
 */
import { ErrorCode, type ServiceResource } from '@slipway/contracts';
import { statusReply } from '@slipway/kube-client/testing';
import { adminDefaults, createService, expectError, uniqueName } from '../../test/support/fixtures';
import { startStandInCluster, type StandInCluster } from '../../test/support/stand-in-cluster';
import { bearer, startTestApp, type TestApp } from '../../test/support/test-app';
import { ingressHosts } from '../runtime/kubernetes/testing/harness';

describe('custom domains on the kubernetes runtime (stand-in API server)', () => {
  let t: TestApp;
  let cluster: StandInCluster;
  let projectId: string;
  let auth: { Authorization: string };

  beforeAll(async () => {
    cluster = await startStandInCluster();
    t = await startTestApp({ overrides: { 'runtime.driver': 'kubernetes' } });
    projectId = (await adminDefaults(t)).projectId;
    auth = bearer(t.adminToken);
  });
  afterAll(async () => {
    await t?.close();
    await cluster?.close();
  });

  const hosts = (serviceId: string): string[] => ingressHosts(cluster.api, serviceId);

  it('applies an Ingress per domain at once and deletes those of removed domains', async () => {
    const service = await createService(t, { projectId });
    const [a, b] = [`${uniqueName('a')}.example.com`, `${uniqueName('b')}.example.com`];

    await t.http
      .put(`/v1/services/${service.id}`)
      .set(auth)
      .send({ domains: [a, b] })
      .expect(200);
    expect(hosts(service.id)).toEqual([a, b].sort());

    await t.http
      .put(`/v1/services/${service.id}`)
      .set(auth)
      .send({ domains: [b] })
      .expect(200);
    expect(hosts(service.id)).toEqual([b]);

    // Changing something else does not touch the cluster.
    const before = cluster.api.requests.length;
    await t.http
      .put(`/v1/services/${service.id}`)
      .set(auth)
      .send({ description: 'shop' })
      .expect(200);
    expect(cluster.api.requests.length).toBe(before);
  });

  it("answers 503 with the cluster's reason and keeps the domains when the cluster refuses", async () => {
    const service = await createService(t, { projectId });
    const kept = `${uniqueName('kept')}.example.com`;
    await t.http
      .put(`/v1/services/${service.id}`)
      .set(auth)
      .send({ domains: [kept] })
      .expect(200);

    const refused = `${uniqueName('refused')}.example.com`;
    let refusing = true;
    cluster.api.on((request) =>
      refusing && request.method === 'PATCH' && request.path.includes('/ingresses/')
        ? statusReply(422, 'Invalid', 'admission webhook denied the host')
        : undefined,
    );
    try {
      const res = await t.http
        .put(`/v1/services/${service.id}`)
        .set(auth)
        .send({ domains: [kept, refused] })
        .expect(503);
      const error = expectError(res.body, ErrorCode.ServiceUnavailable);
      expect(error.message).toMatch(/domains were not changed/);
      expect(error.message).toMatch(/admission webhook denied the host/);
    } finally {
      refusing = false;
    }

    const got = await t.http.get(`/v1/services/${service.id}`).set(auth).expect(200);
    expect((got.body as { data: ServiceResource }).data.domains).toEqual([kept]);
    expect(hosts(service.id)).toEqual([kept]);
    // The refused domain is not held: it can be set once the cluster accepts it.
    await t.http
      .put(`/v1/services/${service.id}`)
      .set(auth)
      .send({ domains: [kept, refused] })
      .expect(200);
    expect(hosts(service.id)).toEqual([kept, refused].sort());
  });
});
