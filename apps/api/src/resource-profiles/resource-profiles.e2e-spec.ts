import { randomUUID } from 'node:crypto';
import { GPU_TYPES } from '@slipway/contracts';
import { createUser, expectError, uniqueName, type TestUser } from '../../test/support/fixtures';
import { revokedToken } from '../../test/support/credentials';
import { bearer, startTestApp, type TestApp } from '../../test/support/test-app';
import { DEFAULT_PROFILES } from './default-profiles';

interface ProfileView {
  id: string;
  name: string;
  description: string | null;
  purpose: string;
  cpu: string;
  memory: string;
  gpu_type: string | null;
  gpu_count: number;
  sort_order: number;
  labels: Record<string, string>;
}

interface ProfileList {
  data: ProfileView[];
  pagination: { page: number; per_page: number; total: number; total_pages: number };
}

const DEFAULT_NAMES = ['nano', 'small', 'medium', 'large', 'xlarge', 'gpu-l4'];
const [GPU_A, GPU_B] = GPU_TYPES;

describe('resource profiles', () => {
  let t: TestApp;
  let user: TestUser;

  beforeAll(async () => {
    t = await startTestApp();
    user = await createUser(t);
  });
  afterAll(async () => {
    await t.close();
  });

  async function list(query: string, token = user.token): Promise<ProfileList> {
    const res = await t.http.get(`/v1/resource-profiles${query}`).set(bearer(token)).expect(200);
    expect(Object.keys(res.body as object).sort()).toEqual(['data', 'pagination']);
    return res.body as ProfileList;
  }
  const defaultsIn = (profiles: ProfileView[]): string[] =>
    profiles.map((p) => p.name).filter((name) => DEFAULT_NAMES.includes(name));
  const create = (body: object, token = t.adminToken) =>
    t.http.post('/v1/resource-profiles').set(bearer(token)).send(body);
  async function createProfile(body: object = {}): Promise<ProfileView> {
    const res = await create({ name: uniqueName('rp'), cpu: '1', memory: '1Gi', ...body });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body as object)).toEqual(['data']);
    return (res.body as { data: ProfileView }).data;
  }

  describe('GET /v1/resource-profiles', () => {
    it('answers the Dynamiq CLI query with the seeded defaults, each with id, name and description', async () => {
      const body = await list('?purpose=service&page_size=100&sort=sort_order');
      expect(body.pagination).toMatchObject({ page: 1, per_page: 100 });
      expect(body.pagination.total).toBe(body.data.length);
      expect(defaultsIn(body.data)).toEqual(DEFAULT_NAMES);
      for (const profile of body.data) {
        expect(profile.id).toMatch(/^[0-9a-f-]{36}$/);
        expect(typeof profile.name).toBe('string');
        expect(typeof profile.description === 'string' || profile.description === null).toBe(true);
        expect(profile.purpose).toBe('service');
      }
      const gpu = body.data.find((p) => p.name === 'gpu-l4');
      expect(gpu).toMatchObject({
        description: expect.stringContaining('L4'),
        gpu_type: DEFAULT_PROFILES.find((p) => p.name === 'gpu-l4')?.gpuType,
        gpu_count: 1,
      });
      expect(body.data.find((p) => p.name === 'small')).toMatchObject({
        cpu: '500m',
        memory: '1Gi',
        gpu_type: null,
        gpu_count: 0,
      });
      for (const seed of DEFAULT_PROFILES) {
        expect(body.data.find((p) => p.name === seed.name)).toEqual({
          id: expect.any(String),
          name: seed.name,
          description: expect.stringMatching(/\S/),
          purpose: 'service',
          cpu: seed.cpu,
          memory: seed.memory,
          gpu_type: seed.gpuType,
          gpu_count: seed.gpuCount,
          sort_order: seed.sortOrder,
          labels: {},
        });
      }
    });

    it('defaults to sort_order, 20 per page', async () => {
      const body = await list('');
      expect(body.pagination).toMatchObject({ page: 1, per_page: 20 });
      const orders = body.data.map((p) => p.sort_order);
      expect(orders).toEqual([...orders].sort((x, y) => x - y));
    });

    it('sorts by sort_order, name and created_at, ascending or descending', async () => {
      const newest = await createProfile({ sort_order: 5 });
      const asc = (await list('?sort=sort_order&per_page=100')).data;
      expect(asc.map((p) => p.sort_order)).toEqual(
        asc.map((p) => p.sort_order).sort((x, y) => x - y),
      );
      const desc = (await list('?sort=-sort_order&per_page=100')).data;
      expect(defaultsIn(desc)).toEqual([...DEFAULT_NAMES].reverse());
      expect(desc.map((p) => p.sort_order)).toEqual(asc.map((p) => p.sort_order).reverse());
      const byName = defaultsIn((await list('?sort=name&per_page=100')).data);
      expect(byName).toEqual(['gpu-l4', 'large', 'medium', 'nano', 'small', 'xlarge']);
      const byNameDesc = defaultsIn((await list('?sort=-name&per_page=100')).data);
      expect(byNameDesc).toEqual([...byName].reverse());
      const oldestFirst = (await list('?sort=created_at&per_page=100')).data;
      expect(oldestFirst[oldestFirst.length - 1]?.id).toBe(newest.id);
      const newestFirst = (await list('?sort=-created_at&per_page=100')).data;
      expect(newestFirst[0]?.id).toBe(newest.id);
    });

    it('paginates with page and page_size', async () => {
      const all = await list('?per_page=100');
      const second = await list('?page=2&page_size=2');
      expect(second.pagination).toEqual({
        page: 2,
        per_page: 2,
        total: all.pagination.total,
        total_pages: Math.ceil(all.pagination.total / 2),
      });
      expect(second.data.map((p) => p.id)).toEqual(all.data.slice(2, 4).map((p) => p.id));
    });

    it.each([
      ['?purpose=job', /purpose: must be one of service/],
      ['?sort=cpu', /sort: must be one of sort_order, -sort_order, name/],
      ['?sort=', /sort: must be one of/],
      ['?page_size=101', /page_size: must be at most 100/],
      ['?page_size=0', /page_size: must be at least 1/],
      ['?page=x', /page: must be an integer/],
      ['?colour=red', /colour: is not a known field/],
    ])('refuses the bad query %s naming the field', async (query, message) => {
      const res = await t.http.get(`/v1/resource-profiles${query}`).set(bearer(user.token));
      expect(res.status).toBe(400);
      expect(expectError(res.body, 'validation_failed').message).toMatch(message);
    });
  });

  describe('GET /v1/resource-profiles/{id}', () => {
    it('answers one profile in a data envelope', async () => {
      const listed = (await list('?per_page=100')).data.find((p) => p.name === 'medium');
      const res = await t.http
        .get(`/v1/resource-profiles/${listed?.id ?? ''}`)
        .set(bearer(user.token))
        .expect(200);
      expect(res.body).toEqual({ data: listed });
      expect(listed).toMatchObject({ cpu: '1', memory: '2Gi', sort_order: 30 });
    });

    it('answers 404 for an unknown id and 400 for a malformed one', async () => {
      const id = randomUUID();
      const missing = await t.http.get(`/v1/resource-profiles/${id}`).set(bearer(user.token));
      expect(missing.status).toBe(404);
      expect(expectError(missing.body, 'not_found').message).toContain(id);
      const bad = await t.http.get('/v1/resource-profiles/medium').set(bearer(user.token));
      expect(bad.status).toBe(400);
      expect(expectError(bad.body, 'validation_failed').message).toMatch(/^id: must be a UUID/);
    });
  });

  describe('POST /v1/resource-profiles', () => {
    it('lets an admin add a profile, which is then listed and readable', async () => {
      const name = uniqueName('rp');
      const profile = await createProfile({
        name,
        description: 'Two L4s',
        cpu: '1.5',
        memory: '6Gi',
        gpu_type: GPU_B,
        gpu_count: 2,
        sort_order: 200,
      });
      expect(profile).toEqual({
        id: expect.any(String),
        name,
        description: 'Two L4s',
        purpose: 'service',
        cpu: '1.5',
        memory: '6Gi',
        gpu_type: GPU_B,
        gpu_count: 2,
        sort_order: 200,
        labels: {},
      });
      const res = await t.http
        .get(`/v1/resource-profiles/${profile.id}`)
        .set(bearer(user.token))
        .expect(200);
      expect((res.body as { data: ProfileView }).data).toEqual(profile);
      expect((await list('?per_page=100')).data.map((p) => p.id)).toContain(profile.id);
    });

    it('fills defaults: no GPU, sort order 0, no description', async () => {
      const profile = await createProfile({ cpu: '250m', memory: '256Mi' });
      expect(profile).toMatchObject({
        description: null,
        gpu_type: null,
        gpu_count: 0,
        sort_order: 0,
      });
    });

    it('lets another admin add one too', async () => {
      const admin = await createUser(t, true);
      const res = await create({ name: uniqueName('rp'), cpu: '2', memory: '1Ti' }, admin.token);
      expect(res.status).toBe(200);
    });

    it('answers 403 to a non-admin and creates nothing', async () => {
      const name = uniqueName('rp');
      const res = await create({ name, cpu: '1', memory: '1Gi' }, user.token);
      expect(res.status).toBe(403);
      expectError(res.body, 'forbidden');
      expect((await list('?per_page=100')).data.map((p) => p.name)).not.toContain(name);
    });

    it.each([0, 1, 2, 4, 8])('accepts gpu_count %i', async (count) => {
      const gpu = count > 0 ? { gpu_type: GPU_A } : {};
      const profile = await createProfile({ gpu_count: count, ...gpu });
      expect(profile.gpu_count).toBe(count);
    });

    it.each([
      { cpu: '500m' },
      { cpu: '2' },
      { cpu: '0.25' },
      { memory: '512Mi' },
      { memory: '16Gi' },
    ])('accepts the Kubernetes quantity %j', async (quantity) => {
      const profile = await createProfile(quantity);
      expect(profile).toMatchObject(quantity);
    });

    it.each([
      [{ name: 'Medium' }, /^name: must be lowercase/],
      [{ name: '-edge' }, /^name: must be lowercase/],
      [{ name: 'x'.repeat(64) }, /^name: /],
      [{ name: undefined }, /^name: /],
      [{ cpu: '' }, /^cpu: /],
      [{ cpu: '0' }, /^cpu: must be a CPU quantity/],
      [{ cpu: '0m' }, /^cpu: must be a CPU quantity/],
      [{ cpu: 'fast' }, /^cpu: must be a CPU quantity/],
      [{ cpu: '1.2345' }, /^cpu: must be a CPU quantity/],
      [{ cpu: 2 }, /^cpu: must be a string/],
      [{ memory: '1GB' }, /^memory: must be a memory quantity/],
      [{ memory: '512' }, /^memory: must be a memory quantity/],
      [{ memory: '0Gi' }, /^memory: must be a memory quantity/],
      [{ gpu_count: 3, gpu_type: GPU_A }, /^gpu_count: must be one of 0, 1, 2, 4, 8/],
      [{ gpu_count: 16, gpu_type: GPU_A }, /^gpu_count: /],
      [{ gpu_count: 1 }, /^gpu_type: .*required when gpu_count > 0/],
      [
        { gpu_count: 1, gpu_type: 'rtx-4090' },
        new RegExp(`^gpu_type: must be one of ${GPU_TYPES.join(', ')}`),
      ],
      [{ sort_order: -1 }, /^sort_order: must be at least 0/],
      [{ description: 'd'.repeat(501) }, /^description: must be at most 500/],
      [{ colour: 'red' }, /^colour: is not a known field/],
    ])('refuses %j with a message naming the field', async (override, message) => {
      const res = await create({ name: uniqueName('rp'), cpu: '1', memory: '1Gi', ...override });
      expect(res.status).toBe(400);
      expect(expectError(res.body, 'validation_failed').message).toMatch(message);
    });

    it('answers 409 for a name already taken, seeded or added', async () => {
      const seeded = await create({ name: 'small', cpu: '1', memory: '1Gi' });
      expect(seeded.status).toBe(409);
      expect(expectError(seeded.body, 'already_exists').message).toContain('small');
      const added = await createProfile();
      const again = await create({ name: added.name, cpu: '2', memory: '2Gi' });
      expect(again.status).toBe(409);
      expectError(again.body, 'already_exists');
    });

    it('answers 409, not 500, to one of two concurrent creates of the same name', async () => {
      const body = { name: uniqueName('rp'), cpu: '1', memory: '1Gi' };
      const results = await Promise.all([create(body), create(body), create(body)]);
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 409, 409]);
    });
  });

  describe('credentials', () => {
    it('answers 401 on every route without, with an invalid, or with a revoked token', async () => {
      const revoked = await revokedToken(t);
      const headers = [{}, bearer('slp_pat_not-a-real-token'), bearer(revoked)];
      for (const header of headers) {
        for (const call of [
          t.http.get('/v1/resource-profiles').set(header),
          t.http.get(`/v1/resource-profiles/${randomUUID()}`).set(header),
          t.http
            .post('/v1/resource-profiles')
            .set(header)
            .send({ name: 'x', cpu: '1', memory: '1Gi' }),
          t.http
            .patch(`/v1/resource-profiles/${randomUUID()}`)
            .set(header)
            .send({ description: 'x' }),
          t.http.delete(`/v1/resource-profiles/${randomUUID()}`).set(header),
        ]) {
          const res = await call;
          expect(res.status).toBe(401);
          expectError(res.body, 'unauthorized');
        }
      }
    });
  });
});
