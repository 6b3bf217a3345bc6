import { randomUUID } from 'node:crypto';
import { ErrorCode } from '@slipway/contracts';
import {
  createService,
  createTenant,
  createUser,
  expectError,
  postAccessKey,
  type TestTenant,
  uniqueName,
} from '../../test/support/fixtures';
import { BAD_LABEL_FILTERS, BAD_LABELS, MAX_LABELS_BODY } from '../../test/support/labels';
import { bearer, startTestApp, type TestApp } from '../../test/support/test-app';

interface ProjectView {
  id: string;
  org_id: string;
  name: string;
  description: string | null;
  labels: Record<string, string>;
  created_at: string;
  updated_at: string;
}

const STACK = 'slipway.dev/stack';

describe('projects: labels, PATCH and DELETE', () => {
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

  async function createProject(tenant: TestTenant, body: object = {}): Promise<ProjectView> {
    const res = await t.http
      .post('/v1/projects')
      .set(bearer(tenant.user.token))
      .send({ org_id: tenant.orgId, name: uniqueName('project'), ...body })
      .expect(200);
    return (res.body as { data: ProjectView }).data;
  }
  async function listIds(tenant: TestTenant, query: string): Promise<string[]> {
    const res = await t.http
      .get(`/v1/projects?org_id=${tenant.orgId}&${query}`)
      .set(bearer(tenant.user.token))
      .expect(200);
    return (res.body as { data: ProjectView[] }).data.map((p) => p.id);
  }
  const patch = (id: string, body: unknown, token = a.user.token) =>
    t.http
      .patch(`/v1/projects/${id}`)
      .set(bearer(token))
      .send(body as object);
  const remove = (id: string, token = a.user.token) =>
    t.http.delete(`/v1/projects/${id}`).set(bearer(token));

  describe('labels', () => {
    it('stores labels given at creation and answers them on every read', async () => {
      const labels = { [STACK]: 'prod', tier: 'web', empty: '' };
      const project = await createProject(a, { labels });
      expect(project.labels).toEqual(labels);
      const got = await t.http
        .get(`/v1/projects/${project.id}`)
        .set(bearer(a.user.token))
        .expect(200);
      expect((got.body as { data: ProjectView }).data).toEqual(project);
      const listed = await t.http
        .get(`/v1/projects?org_id=${a.orgId}&per_page=100`)
        .set(bearer(a.user.token))
        .expect(200);
      expect((listed.body as { data: ProjectView[] }).data).toContainEqual(project);
    });

    it('accepts 32 labels, the most there may be', async () => {
      expect((await createProject(a, { labels: MAX_LABELS_BODY })).labels).toEqual(MAX_LABELS_BODY);
    });

    it('filters the list by label: one, two (both must match), or none matching', async () => {
      const tenant = await createTenant(t);
      const prodWeb = await createProject(tenant, { labels: { [STACK]: 'prod', tier: 'web' } });
      const prodDb = await createProject(tenant, { labels: { [STACK]: 'prod', tier: 'db' } });
      await createProject(tenant, { labels: { [STACK]: 'staging', tier: 'web' } });
      const prod = await listIds(tenant, `label=${STACK}=prod`);
      expect(prod.sort()).toEqual([prodWeb.id, prodDb.id].sort());
      expect(
        await listIds(tenant, `label=${encodeURIComponent(`${STACK}=prod`)}&label=tier=web`),
      ).toEqual([prodWeb.id]);
      expect(await listIds(tenant, `label=${STACK}=dev`)).toEqual([]);
      expect(await listIds(tenant, 'label=tier=web&label=tier=db')).toEqual([]);
      const all = await t.http
        .get(`/v1/projects?label=${STACK}=prod`)
        .set(bearer(tenant.user.token))
        .expect(200);
      expect(all.body.pagination.total).toBe(2);
    });

    it.each(BAD_LABELS)(
      'refuses %s at creation, naming the key',
      async (_case, labels, message) => {
        const res = await t.http
          .post('/v1/projects')
          .set(bearer(a.user.token))
          .send({ org_id: a.orgId, name: uniqueName('project'), labels })
          .expect(400);
        expect(expectError(res.body, ErrorCode.ValidationFailed).message).toMatch(message);
      },
    );

    it.each(BAD_LABEL_FILTERS)('refuses a label filter with %s', async (_case, query, message) => {
      const res = await t.http.get(`/v1/projects?${query}`).set(bearer(a.user.token)).expect(400);
      expect(expectError(res.body, ErrorCode.ValidationFailed).message).toMatch(message);
    });
  });

  describe('PATCH /v1/projects/{id}', () => {
    it('changes name, description and labels; fields left out stay', async () => {
      const project = await createProject(a, { description: 'before', labels: { tier: 'web' } });
      const name = uniqueName('renamed');
      const res = await patch(project.id, { name, labels: { [STACK]: 'prod' } }).expect(200);
      const updated = (res.body as { data: ProjectView }).data;
      expect(updated).toEqual({
        ...project,
        name,
        labels: { [STACK]: 'prod' },
        updated_at: expect.any(String),
      });
      const cleared = await patch(project.id, { description: null, labels: {} }).expect(200);
      expect((cleared.body as { data: ProjectView }).data).toMatchObject({
        name,
        description: null,
        labels: {},
      });
      const unchanged = await patch(project.id, {}).expect(200);
      expect((unchanged.body as { data: ProjectView }).data).toMatchObject({ name, labels: {} });
    });

    it('lets any member of the org change it', async () => {
      const tenant = await createTenant(t);
      const member = await createUser(t);
      await t.http
        .post(`/v1/orgs/${tenant.orgId}/members`)
        .set(bearer(tenant.user.token))
        .send({ email: member.email })
        .expect(200);
      const res = await patch(tenant.projectId, { labels: { tier: 'web' } }, member.token);
      expect(res.status).toBe(200);
      expect((res.body as { data: ProjectView }).data.labels).toEqual({ tier: 'web' });
    });

    it('answers 409 already_exists for a name taken in the org', async () => {
      const first = await createProject(a);
      const second = await createProject(a);
      const res = await patch(second.id, { name: first.name }).expect(409);
      expect(expectError(res.body, ErrorCode.AlreadyExists).message).toBe(
        `A project named '${first.name}' already exists in this organization`,
      );
    });

    it('refuses a rename while the project has services, but changes the rest', async () => {
      const project = await createProject(a);
      await createService(t, { token: a.user.token, projectId: project.id });
      const res = await patch(project.id, { name: uniqueName('renamed') }).expect(409);
      expect(expectError(res.body, ErrorCode.ProjectNotEmpty).message).toBe(
        `Project '${project.name}' still has 1 service; it can be renamed only while it has none, since runtimes name their objects after it (GET /v1/services?project_id=${project.id} lists them)`,
      );
      const same = await patch(project.id, { name: project.name, labels: { a: 'b' } }).expect(200);
      expect((same.body as { data: ProjectView }).data).toMatchObject({
        name: project.name,
        labels: { a: 'b' },
      });
    });

    it("answers 404 for another org's project and for an unknown id", async () => {
      for (const id of [b.projectId, randomUUID()]) {
        const res = await patch(id, { labels: { owned: 'yes' } }).expect(404);
        expect(expectError(res.body, ErrorCode.NotFound).message).toBe(
          `Project ${id} was not found`,
        );
      }
      const theirs = await t.http
        .get(`/v1/projects/${b.projectId}`)
        .set(bearer(b.user.token))
        .expect(200);
      expect((theirs.body as { data: ProjectView }).data.labels).toEqual({});
    });

    it.each([
      [{ name: '' }, 'name: must not be empty'],
      [{ name: null }, 'name: must be a string'],
      [{ name: 'n'.repeat(101) }, 'name: must be at most 100 characters'],
      [{ description: 7 }, 'description: must be a string'],
      [{ org_id: randomUUID() }, 'org_id: is not a known field'],
      [{ labels: { 'Bad Key': 'x' } }, 'labels: key "Bad Key" must be'],
    ])('answers 400 for %j, naming the field', async (body, message) => {
      const res = await patch(a.projectId, body).expect(400);
      expect(expectError(res.body, ErrorCode.ValidationFailed).message).toContain(message);
    });

    it('answers 400 for a malformed id', async () => {
      const res = await patch('not-a-uuid', {}).expect(400);
      expect(expectError(res.body, ErrorCode.ValidationFailed).message).toBe(
        "id: must be a UUID (got 'not-a-uuid')",
      );
    });
  });

  describe('DELETE /v1/projects/{id}', () => {
    it('deletes an empty project, answering what it deleted; afterwards it is 404', async () => {
      const project = await createProject(a);
      const res = await remove(project.id).expect(200);
      expect(res.body).toEqual({ data: project });
      const gone = await t.http
        .get(`/v1/projects/${project.id}`)
        .set(bearer(a.user.token))
        .expect(404);
      expectError(gone.body, ErrorCode.NotFound);
      expectError((await remove(project.id).expect(404)).body, ErrorCode.NotFound);
    });

    it('refuses while the project has services, then deletes it once they are gone', async () => {
      const project = await createProject(a);
      const service = await createService(t, { token: a.user.token, projectId: project.id });
      const refused = await remove(project.id).expect(409);
      expect(expectError(refused.body, ErrorCode.ProjectNotEmpty).message).toBe(
        `Project '${project.name}' still has 1 service; delete them first (GET /v1/services?project_id=${project.id} lists them)`,
      );
      await t.http.get(`/v1/projects/${project.id}`).set(bearer(a.user.token)).expect(200);
      await t.http.delete(`/v1/services/${service.id}`).set(bearer(a.user.token)).expect(200);
      await remove(project.id).expect(200);
    });

    it('deletes its project-scoped access keys with it', async () => {
      const project = await createProject(a);
      const key = await postAccessKey(t, a.user.token, {
        name: 'scoped',
        project_id: project.id,
      }).expect(200);
      await remove(project.id).expect(200);
      const keys = await t.http
        .get(`/v1/access-keys?org_id=${a.orgId}&per_page=100`)
        .set(bearer(a.user.token))
        .expect(200);
      expect(JSON.stringify(keys.body)).not.toContain(
        (key.body as { data: { id: string } }).data.id,
      );
    });

    it("answers 404 for another org's project and for an unknown id, deleting nothing", async () => {
      for (const id of [b.projectId, randomUUID()]) {
        const res = await remove(id).expect(404);
        expect(expectError(res.body, ErrorCode.NotFound).message).toBe(
          `Project ${id} was not found`,
        );
      }
      await t.http.get(`/v1/projects/${b.projectId}`).set(bearer(b.user.token)).expect(200);
    });

    it('answers 400 for a malformed id', async () => {
      const res = await remove('not-a-uuid').expect(400);
      expect(expectError(res.body, ErrorCode.ValidationFailed).message).toMatch(
        /^id: must be a UUID/,
      );
    });
  });
});
