import { randomUUID } from 'node:crypto';
import { ErrorCode } from '@slipway/contracts';
import {
  createTenant,
  expectError,
  postAccessKey,
  type TestTenant,
  uniqueName,
} from '../../test/support/fixtures';
import { BAD_LABEL_FILTERS, BAD_LABELS, MAX_LABELS_BODY } from '../../test/support/labels';
import { bearer, startTestApp, type TestApp } from '../../test/support/test-app';

interface KeyView {
  id: string;
  labels: Record<string, string>;
  status: string;
  key?: string;
}

const STACK = 'slipway.dev/stack';

describe('access keys: labels', () => {
  let t: TestApp;
  let a: TestTenant;
  let b: TestTenant;

  beforeAll(async () => {
    t = await startTestApp();
    a = await createTenant(t);
    b = await createTenant(t);
  });
  afterAll(async () => {
    await t.close();
  });

  async function createKey(tenant: TestTenant, body: object): Promise<KeyView> {
    const res = await postAccessKey(t, tenant.user.token, {
      name: uniqueName('key'),
      org_id: tenant.orgId,
      ...body,
    }).expect(200);
    return (res.body as { data: KeyView }).data;
  }
  async function list(tenant: TestTenant, query: string): Promise<KeyView[]> {
    const res = await t.http
      .get(`/v1/access-keys?${query}`)
      .set(bearer(tenant.user.token))
      .expect(200);
    return (res.body as { data: KeyView[] }).data;
  }
  const ids = (keys: KeyView[]): string[] => keys.map((k) => k.id).sort();

  it('stores labels given at creation and answers them in lists and on revocation', async () => {
    const labels = { [STACK]: 'prod', tier: 'web', empty: '' };
    const created = await createKey(a, { labels });
    expect(created.labels).toEqual(labels);
    const listed = (await list(a, `org_id=${a.orgId}&per_page=100`)).find(
      (k) => k.id === created.id,
    );
    expect(listed?.labels).toEqual(labels);
    const revoked = await t.http
      .delete(`/v1/access-keys/${created.id}`)
      .set(bearer(a.user.token))
      .expect(200);
    expect((revoked.body as { data: KeyView }).data).toMatchObject({ status: 'revoked', labels });
  });

  it('answers {} for a key created without labels, and takes 32', async () => {
    expect((await createKey(a, {})).labels).toEqual({});
    expect((await createKey(a, { labels: MAX_LABELS_BODY })).labels).toEqual(MAX_LABELS_BODY);
  });

  it('filters the list by label: one, two (both must match), or none matching', async () => {
    const tenant = await createTenant(t);
    const prodWeb = await createKey(tenant, { labels: { [STACK]: 'prod', tier: 'web' } });
    const prodDb = await createKey(tenant, {
      project_id: tenant.projectId,
      labels: { [STACK]: 'prod', tier: 'db' },
    });
    await createKey(tenant, { labels: { [STACK]: 'staging', tier: 'web' } });
    expect(ids(await list(tenant, `label=${STACK}=prod`))).toEqual(ids([prodWeb, prodDb]));
    expect(ids(await list(tenant, `label=${STACK}=prod&label=tier=web`))).toEqual([prodWeb.id]);
    expect(ids(await list(tenant, `project_id=${tenant.projectId}&label=${STACK}=prod`))).toEqual([
      prodDb.id,
    ]);
    expect(await list(tenant, `org_id=${tenant.orgId}&label=${STACK}=dev`)).toEqual([]);
    expect(await list(tenant, 'label=tier=web&label=tier=db')).toEqual([]);
  });

  it("never lists another org's keys, whatever the labels", async () => {
    await createKey(b, { labels: { [STACK]: 'shared-name' } });
    expect(await list(a, `label=${STACK}=shared-name`)).toEqual([]);
    const res = await t.http
      .get(`/v1/access-keys?org_id=${b.orgId}&label=${STACK}=shared-name`)
      .set(bearer(a.user.token))
      .expect(404);
    expectError(res.body, ErrorCode.NotFound);
  });

  it('has no route to change a key: its labels are set once', async () => {
    const key = await createKey(a, { labels: { tier: 'web' } });
    for (const call of [
      t.http.patch(`/v1/access-keys/${key.id}`).set(bearer(a.user.token)).send({ labels: {} }),
      t.http.put(`/v1/access-keys/${key.id}`).set(bearer(a.user.token)).send({ labels: {} }),
    ]) {
      expectError((await call.expect(404)).body, ErrorCode.RouteNotFound);
    }
    const listed = (await list(a, 'per_page=100')).find((k) => k.id === key.id);
    expect(listed?.labels).toEqual({ tier: 'web' });
  });

  it.each(BAD_LABELS)('refuses %s at creation, naming the key', async (_case, labels, message) => {
    const res = await postAccessKey(t, a.user.token, {
      name: 'x',
      org_id: a.orgId,
      labels,
    }).expect(400);
    expect(expectError(res.body, ErrorCode.ValidationFailed).message).toMatch(message);
  });

  it.each(BAD_LABEL_FILTERS)('refuses a label filter with %s', async (_case, query, message) => {
    const res = await t.http.get(`/v1/access-keys?${query}`).set(bearer(a.user.token)).expect(400);
    expect(expectError(res.body, ErrorCode.ValidationFailed).message).toMatch(message);
  });

  it('needs credentials to filter by label, and answers 404 for an unknown org', async () => {
    for (const header of [{}, bearer('slp_pat_not-a-real-token')]) {
      const res = await t.http.get(`/v1/access-keys?label=${STACK}=prod`).set(header).expect(401);
      expectError(res.body, ErrorCode.Unauthorized);
    }
    const res = await t.http
      .get(`/v1/access-keys?org_id=${randomUUID()}&label=tier=web`)
      .set(bearer(a.user.token))
      .expect(404);
    expectError(res.body, ErrorCode.NotFound);
  });
});
