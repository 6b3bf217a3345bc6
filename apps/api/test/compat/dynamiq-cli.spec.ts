import { adminDefaults, uniqueName } from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Replays the requests the Dynamiq CLI (Python SDK) makes, byte for byte where it matters:
 * method, path, query string, JSON body, its headers, the status it checks (exactly 200) and
 * the fields it reads from each answer. A user pointing DYNAMIQ_API_HOST at Slipway relies
 * on every one of these.
 */
describe('wire compatibility with the Dynamiq CLI', () => {
  let t: TestApp;
  let cli: (
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    body?: unknown,
  ) => Promise<{ status: number; body: unknown }>;

  beforeAll(async () => {
    t = await startTestApp();
    cli = async (method, path, body) => {
      let req = t.http[method.toLowerCase() as 'get' | 'post' | 'put' | 'delete'](path)
        .set('Authorization', `Bearer ${t.adminToken}`)
        .set('User-Agent', 'dynamiq-cli/0.30.0')
        .set('Accept', '*/*');
      if (body !== undefined)
        req = req.set('Content-Type', 'application/json').send(JSON.stringify(body));
      const res = await req;
      return { status: res.status, body: res.body as unknown };
    };
  });
  afterAll(async () => {
    await t.close();
  });

  type Row = Record<string, unknown>;
  const data = (body: unknown): Row => (body as { data: Row }).data;
  const rows = (body: unknown): Row[] => (body as { data: Row[] }).data;

  it('org list / org set', async () => {
    const list = await cli('GET', '/v1/orgs');
    expect(list.status).toBe(200);
    const orgs = rows(list.body);
    expect(orgs.length).toBeGreaterThan(0);
    for (const org of orgs) {
      expect(typeof org.id).toBe('string');
      expect(typeof org.name).toBe('string');
    }
    const set = await cli('GET', `/v1/orgs/${String(orgs[0]?.id)}`);
    expect(set.status).toBe(200);
    expect((await cli('GET', '/v1/orgs/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('project list / project set', async () => {
    const { orgId } = await adminDefaults(t);
    const list = await cli('GET', `/v1/projects?org_id=${orgId}`);
    expect(list.status).toBe(200);
    const projects = rows(list.body);
    expect(projects.map((p) => p.name)).toContain('default');
    for (const project of projects) expect(typeof project.id).toBe('string');
    const set = await cli('GET', `/v1/projects/${String(projects[0]?.id)}?org_id=${orgId}`);
    expect(set.status).toBe(200);
    const wrongOrg = await cli(
      'GET',
      `/v1/projects/${String(projects[0]?.id)}?org_id=00000000-0000-4000-8000-000000000000`,
    );
    expect(wrongOrg.status).toBe(404);
  });

  it('resource-profiles list', async () => {
    const list = await cli(
      'GET',
      '/v1/resource-profiles?purpose=service&page_size=100&sort=sort_order',
    );
    expect(list.status).toBe(200);
    const profiles = rows(list.body);
    expect(profiles.length).toBeGreaterThan(0);
    for (const profile of profiles) {
      expect(typeof profile.id).toBe('string');
      expect(typeof profile.name).toBe('string');
      expect('description' in profile).toBe(true);
    }
    const orders = profiles.map((p) => p.sort_order as number);
    expect(orders).toEqual([...orders].sort((a, b) => a - b));
  });

  it('service create / list / get / update / delete', async () => {
    const { projectId } = await adminDefaults(t);
    const name = uniqueName('cli-svc');

    const created = await cli('POST', '/v1/services', {
      name,
      project_id: projectId,
      access_control: { access_type: 'private' },
      category: 'service',
    });
    expect(created.status).toBe(200);
    const service = data(created.body);
    expect(service).toMatchObject({
      name,
      category: 'service',
      access_control: { access_type: 'private' },
    });
    const id = String(service.id);

    const list = await cli('GET', `/v1/services?project_id=${projectId}`);
    expect(list.status).toBe(200);
    const listed = rows(list.body).find((s) => s.id === id);
    expect(listed).toBeDefined();
    for (const field of ['id', 'name', 'category', 'hostname'])
      expect(listed?.[field]).toEqual(expect.any(String));
    expect((listed?.access_control as Row).access_type).toBe('private');

    const got = await cli('GET', `/v1/services/${id}`);
    expect(got.status).toBe(200);
    expect(typeof data(got.body)).toBe('object');
    expect(data(got.body).hostname).toBe(service.hostname);

    const madePublic = await cli('PUT', `/v1/services/${id}`, {
      access_control: { access_type: 'public' },
    });
    expect(madePublic.status).toBe(200);
    expect(data(madePublic.body).access_control).toEqual({ access_type: 'public' });
    const described = await cli('PUT', `/v1/services/${id}`, { description: 'from the CLI' });
    expect(described.status).toBe(200);
    expect(data(described.body).description).toBe('from the CLI');
    const both = await cli('PUT', `/v1/services/${id}`, {
      access_control: { access_type: 'private' },
      description: 'both',
    });
    expect(both.status).toBe(200);

    const deleted = await cli('DELETE', `/v1/services/${id}`);
    expect(deleted.status).toBe(200);
    expect((await cli('GET', `/v1/services/${id}`)).status).toBe(404);
  });

  it('answers a failing call with a non-200 status the CLI reports', async () => {
    const failed = await cli('POST', '/v1/services', {
      name: 'Bad Name',
      project_id: 'x',
      category: 'service',
    });
    expect(failed.status).toBe(400);
    const unauthenticated = await t.http.get('/v1/orgs').set('Authorization', 'Bearer None');
    expect(unauthenticated.status).toBe(401);
  });
});
