import { ErrorCode, type ServiceResource } from '@slipway/contracts';
import {
  adminDefaults,
  createService,
  createTenant,
  expectError,
  type TestTenant,
  uniqueName,
} from '../../test/support/fixtures';
import { bearer, startTestApp, type TestApp } from '../../test/support/test-app';

describe('services', () => {
  let t: TestApp;
  let projectId: string;
  let auth: { Authorization: string };
  let other: TestTenant;

  beforeAll(async () => {
    t = await startTestApp({ overrides: { appsDomain: 'apps.test.example' } });
    projectId = (await adminDefaults(t)).projectId;
    auth = bearer(t.adminToken);
    other = await createTenant(t);
  });
  afterAll(async () => {
    await t.close();
  });

  const newService = (body: Record<string, unknown> = {}): Promise<ServiceResource> =>
    createService(t, { projectId, body });

  describe('POST /v1/services', () => {
    it('creates a private service with its hostname, category and status, answering 200', async () => {
      const res = await t.http
        .post('/v1/services')
        .set(auth)
        .send({ name: 'ocr-service', project_id: projectId, description: 'OCR' })
        .expect(200);
      const service = (res.body as { data: ServiceResource }).data;
      expect(service).toMatchObject({
        name: 'ocr-service',
        project_id: projectId,
        description: 'OCR',
        category: 'service',
        status: 'created',
        access_control: { access_type: 'private' },
      });
      expect(service.hostname).toBe(
        `ocr-service-${service.id.replace(/-/g, '').slice(0, 8)}.apps.test.example`,
      );
      expect(service.created_by).toMatch(/^[0-9a-f-]{36}$/);
      expect(Object.keys(service)).not.toEqual(
        expect.arrayContaining(['token', 'token_hash', 'token_ciphertext']),
      );
    });

    it('stores a service token hashed and sealed, never in plaintext', async () => {
      const service = await newService();
      const [row] = await t.dataSource.query<{ token_hash: string; token_ciphertext: string }[]>(
        'SELECT token_hash, token_ciphertext FROM services WHERE id = $1',
        [service.id],
      );
      expect(row?.token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row?.token_ciphertext).toMatch(/^v1:/);
      expect(row?.token_ciphertext).not.toContain('slp_st_');
    });

    it('honours access_control and category', async () => {
      const service = await newService({
        access_control: { access_type: 'public' },
        category: 'agent',
      });
      expect(service.access_control.access_type).toBe('public');
      expect(service.category).toBe('agent');
    });

    it.each([
      [{ project_id: undefined }, 'project_id: is required'],
      [{ project_id: 'nope' }, 'project_id: must be a UUID'],
      [{ name: undefined }, 'name: is required'],
      [{ name: 'Has_Upper' }, 'name: must be a DNS label'],
      [{ name: '1starts-with-digit' }, 'name: must be a DNS label'],
      [{ name: 'ends-with-dash-' }, 'name: must be a DNS label'],
      [{ name: 'a'.repeat(55) }, 'name: must be a DNS label'],
      [
        { access_control: { access_type: 'secret' } },
        'access_control.access_type: must be one of private, public',
      ],
      [{ access_control: 'public' }, 'access_control'],
      [{ description: 42 }, 'description: must be a string'],
      [{ category: 'Bad Category' }, 'category:'],
      [{ unexpected: true }, 'unexpected: is not a known field'],
    ])('rejects %j with a message naming the field', async (patch, message) => {
      const body: Record<string, unknown> = {
        name: uniqueName('svc'),
        project_id: projectId,
        ...patch,
      };
      for (const [key, value] of Object.entries(patch)) if (value === undefined) delete body[key];
      const res = await t.http.post('/v1/services').set(auth).send(body).expect(400);
      expect(expectError(res.body, ErrorCode.ValidationFailed).message).toContain(message);
    });

    it('refuses a duplicate name in the same project with 409', async () => {
      const service = await newService();
      const res = await t.http
        .post('/v1/services')
        .set(auth)
        .send({ name: service.name, project_id: projectId })
        .expect(409);
      expect(expectError(res.body, ErrorCode.AlreadyExists).message).toContain(service.name);
    });

    it('allows the same name in another project', async () => {
      const service = await newService();
      await t.http
        .post('/v1/services')
        .set(bearer(other.user.token))
        .send({ name: service.name, project_id: other.projectId })
        .expect(200);
    });

    it("answers 404 for another org's project, so ids do not leak", async () => {
      const res = await t.http
        .post('/v1/services')
        .set(bearer(other.user.token))
        .send({ name: uniqueName('svc'), project_id: projectId })
        .expect(404);
      expectError(res.body, ErrorCode.NotFound);
    });

    it('replays an Idempotency-Key with the same body and refuses it with another body', async () => {
      const key = uniqueName('idem');
      const body = { name: uniqueName('svc'), project_id: projectId };
      const first = await t.http
        .post('/v1/services')
        .set(auth)
        .set('Idempotency-Key', key)
        .send(body)
        .expect(200);
      const replay = await t.http
        .post('/v1/services')
        .set(auth)
        .set('Idempotency-Key', key)
        .send(body)
        .expect(200);
      expect(replay.body).toEqual(first.body);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      const list = await t.http
        .get(`/v1/services?project_id=${projectId}&per_page=100`)
        .set(auth)
        .expect(200);
      expect(
        (list.body as { data: ServiceResource[] }).data.filter((s) => s.name === body.name),
      ).toHaveLength(1);

      const changed = await t.http
        .post('/v1/services')
        .set(auth)
        .set('Idempotency-Key', key)
        .send({ ...body, description: 'different' })
        .expect(422);
      expectError(changed.body, ErrorCode.IdempotencyKeyReused);
    });
  });

  describe('GET /v1/services', () => {
    it('lists a project newest first with pagination and a status filter', async () => {
      const tenant = await createTenant(t);
      const tenantAuth = bearer(tenant.user.token);
      for (const name of ['one', 'two', 'three']) {
        await t.http
          .post('/v1/services')
          .set(tenantAuth)
          .send({ name, project_id: tenant.projectId })
          .expect(200);
      }
      const firstPage = await t.http
        .get(`/v1/services?project_id=${tenant.projectId}&per_page=2`)
        .set(tenantAuth)
        .expect(200);
      expect((firstPage.body as { data: ServiceResource[] }).data.map((s) => s.name)).toEqual([
        'three',
        'two',
      ]);
      expect(firstPage.body.pagination).toEqual({ page: 1, per_page: 2, total: 3, total_pages: 2 });
      const secondPage = await t.http
        .get(`/v1/services?project_id=${tenant.projectId}&per_page=2&page=2`)
        .set(tenantAuth)
        .expect(200);
      expect((secondPage.body as { data: ServiceResource[] }).data.map((s) => s.name)).toEqual([
        'one',
      ]);

      const running = await t.http
        .get(`/v1/services?project_id=${tenant.projectId}&status=running`)
        .set(tenantAuth)
        .expect(200);
      expect(running.body).toEqual({
        data: [],
        pagination: { page: 1, per_page: 20, total: 0, total_pages: 1 },
      });
      const created = await t.http
        .get(`/v1/services?project_id=${tenant.projectId}&status=created`)
        .set(tenantAuth)
        .expect(200);
      expect(created.body.pagination.total).toBe(3);
    });

    it.each([
      ['', 'project_id: is required'],
      ['?project_id=abc', 'project_id: must be a UUID'],
      [
        `?project_id=00000000-0000-4000-8000-000000000000&per_page=101`,
        'per_page: must be at most 100',
      ],
      [`?project_id=00000000-0000-4000-8000-000000000000&page=0`, 'page: must be at least 1'],
      [
        `?project_id=00000000-0000-4000-8000-000000000000&page=1000001`,
        'page: must be at most 1000000',
      ],
      [
        `?project_id=00000000-0000-4000-8000-000000000000&status=hibernating`,
        'status: must be one of',
      ],
    ])('rejects the query %s', async (query, message) => {
      const res = await t.http.get(`/v1/services${query}`).set(auth).expect(400);
      expect(expectError(res.body, ErrorCode.ValidationFailed).message).toContain(message);
    });

    it("answers 404 for a project outside the caller's orgs", async () => {
      const res = await t.http
        .get(`/v1/services?project_id=${other.projectId}`)
        .set(auth)
        .expect(404);
      expectError(res.body, ErrorCode.NotFound);
    });
  });

  describe('GET, PUT and DELETE /v1/services/{id}', () => {
    it('gets one service with its hostname', async () => {
      const service = await newService();
      const res = await t.http.get(`/v1/services/${service.id}`).set(auth).expect(200);
      expect(res.body).toEqual({ data: service });
    });

    it('updates description, access control and category, leaving the rest', async () => {
      const service = await newService({ description: 'before' });
      const res = await t.http
        .put(`/v1/services/${service.id}`)
        .set(auth)
        .send({ description: 'after', access_control: { access_type: 'public' } })
        .expect(200);
      const updated = (res.body as { data: ServiceResource }).data;
      expect(updated).toMatchObject({
        description: 'after',
        access_control: { access_type: 'public' },
        name: service.name,
        hostname: service.hostname,
        category: 'service',
      });
      const again = await t.http
        .put(`/v1/services/${service.id}`)
        .set(auth)
        .send({ category: 'worker' })
        .expect(200);
      expect((again.body as { data: ServiceResource }).data).toMatchObject({
        description: 'after',
        category: 'worker',
      });
    });

    it('refuses to rename a service or change unknown fields', async () => {
      const service = await newService();
      const res = await t.http
        .put(`/v1/services/${service.id}`)
        .set(auth)
        .send({ name: 'renamed' })
        .expect(400);
      expect(expectError(res.body, ErrorCode.ValidationFailed).message).toContain(
        'name: is not a known field',
      );
      const bad = await t.http
        .put(`/v1/services/${service.id}`)
        .set(auth)
        .send({ access_control: { access_type: 'open' } })
        .expect(400);
      expect(expectError(bad.body, ErrorCode.ValidationFailed).message).toContain(
        'access_control.access_type',
      );
    });

    it('refuses a force that is not true or false, deleting nothing', async () => {
      const service = await newService();
      const res = await t.http.delete(`/v1/services/${service.id}?force=yes`).set(auth).expect(400);
      expect(expectError(res.body, ErrorCode.ValidationFailed).message).toBe(
        'force: must be true or false',
      );
      await t.http.get(`/v1/services/${service.id}`).set(auth).expect(200);
    });

    it('deletes with 200 and the deleted service; afterwards it is 404', async () => {
      const service = await newService();
      const res = await t.http.delete(`/v1/services/${service.id}`).set(auth).expect(200);
      expect((res.body as { data: ServiceResource }).data.id).toBe(service.id);
      expectError(
        (await t.http.get(`/v1/services/${service.id}`).set(auth).expect(404)).body,
        ErrorCode.NotFound,
      );
      expectError(
        (await t.http.delete(`/v1/services/${service.id}`).set(auth).expect(404)).body,
        ErrorCode.NotFound,
      );
    });

    it("treats another org's service as not found on every verb", async () => {
      const service = await newService();
      const foreign = bearer(other.user.token);
      expectError(
        (await t.http.get(`/v1/services/${service.id}`).set(foreign).expect(404)).body,
        ErrorCode.NotFound,
      );
      expectError(
        (
          await t.http
            .put(`/v1/services/${service.id}`)
            .set(foreign)
            .send({ description: 'x' })
            .expect(404)
        ).body,
        ErrorCode.NotFound,
      );
      expectError(
        (await t.http.delete(`/v1/services/${service.id}`).set(foreign).expect(404)).body,
        ErrorCode.NotFound,
      );
      await t.http.get(`/v1/services/${service.id}`).set(auth).expect(200);
    });

    it('answers 400 for a malformed id and 404 for an unknown one', async () => {
      const bad = await t.http.get('/v1/services/not-a-uuid').set(auth).expect(400);
      expect(expectError(bad.body, ErrorCode.ValidationFailed).message).toBe(
        "id: must be a UUID (got 'not-a-uuid')",
      );
      const missing = await t.http
        .get('/v1/services/00000000-0000-4000-8000-000000000000')
        .set(auth)
        .expect(404);
      expect(expectError(missing.body, ErrorCode.NotFound).message).toContain(
        '00000000-0000-4000-8000-000000000000',
      );
    });

    it('needs credentials on every verb', async () => {
      const service = await newService();
      for (const call of [
        t.http.get(`/v1/services?project_id=${projectId}`),
        t.http.get(`/v1/services/${service.id}`),
        t.http.put(`/v1/services/${service.id}`).send({ description: 'x' }),
        t.http.delete(`/v1/services/${service.id}`),
        t.http.post('/v1/services').send({ name: 'x', project_id: projectId }),
      ]) {
        expectError((await call.expect(401)).body, ErrorCode.Unauthorized);
      }
      for (const call of [
        t.http.get(`/v1/services/${service.id}`).set(bearer('slp_pat_not_a_real_token')),
        t.http.delete(`/v1/services/${service.id}`).set(bearer('slp_pat_not_a_real_token')),
      ]) {
        expectError((await call.expect(401)).body, ErrorCode.Unauthorized);
      }
    });
  });
});

describe('services with the feature flag off', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ overrides: { 'services.enabled': false } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers feature_disabled on every service route with how to turn it on', async () => {
    const { projectId } = await adminDefaults(t);
    const auth = bearer(t.adminToken);
    const id = '00000000-0000-4000-8000-000000000000';
    for (const call of [
      t.http.post('/v1/services').set(auth).send({ name: 'web', project_id: projectId }),
      t.http.get(`/v1/services?project_id=${projectId}`).set(auth),
      t.http.get(`/v1/services/${id}`).set(auth),
      t.http.put(`/v1/services/${id}`).set(auth).send({ description: 'x' }),
      t.http.delete(`/v1/services/${id}`).set(auth),
    ]) {
      const res = await call.expect(403);
      expect(expectError(res.body, ErrorCode.FeatureDisabled).message).toContain(
        'SLIPWAY_SERVICES_ENABLED=true',
      );
    }
  });

  it('still answers the rest of the API', async () => {
    await t.http.get('/v1/me').set(bearer(t.adminToken)).expect(200);
  });
});
