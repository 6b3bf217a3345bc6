import { randomUUID } from 'node:crypto';
import { ErrorCode } from '@slipway/contracts';
import {
  adminDefaults,
  createService,
  createUser,
  expectError,
  uniqueName,
  type TestUser,
} from '../../test/support/fixtures';
import { describeCredentialChecks, withToken } from '../../test/support/credentials';
import { BAD_LABEL_FILTERS, BAD_LABELS, MAX_LABELS_BODY } from '../../test/support/labels';
import { bearer, startTestApp, type TestApp } from '../../test/support/test-app';
import { type DeploymentSettings } from '../deployments/deployment-settings';
import { DEFAULT_PROFILES } from './default-profiles';

interface ProfileView {
  id: string;
  name: string;
  description: string | null;
  cpu: string;
  memory: string;
  sort_order: number;
  labels: Record<string, string>;
}

const STACK = 'slipway.dev/stack';

describe('resource profiles: labels, PATCH and DELETE', () => {
  let t: TestApp;
  let user: TestUser;

  beforeAll(async () => {
    t = await startTestApp();
    user = await createUser(t);
  });
  afterAll(async () => {
    await t.close();
  });

  const admin = () => bearer(t.adminToken);
  async function createProfile(body: object = {}): Promise<ProfileView> {
    const res = await t.http
      .post('/v1/resource-profiles')
      .set(admin())
      .send({ name: uniqueName('rp'), cpu: '1', memory: '1Gi', ...body })
      .expect(200);
    return (res.body as { data: ProfileView }).data;
  }
  async function listIds(query: string): Promise<string[]> {
    const res = await t.http
      .get(`/v1/resource-profiles?per_page=100&${query}`)
      .set(bearer(user.token))
      .expect(200);
    return (res.body as { data: ProfileView[] }).data.map((p) => p.id).sort();
  }
  async function builtIn(name: string): Promise<ProfileView> {
    const res = await t.http
      .get('/v1/resource-profiles?per_page=100')
      .set(bearer(user.token))
      .expect(200);
    const found = (res.body as { data: ProfileView[] }).data.find((p) => p.name === name);
    if (!found) throw new Error(`built-in profile ${name} missing`);
    return found;
  }
  /** A deployment made with the profile, as the deploy route stores it. */
  async function deploymentUsing(profileId: string): Promise<{ serviceId: string; id: string }> {
    const service = await createService(t);
    const { orgId, projectId } = await adminDefaults(t);
    const settings = { resourceProfileId: profileId } satisfies Partial<DeploymentSettings>;
    const [row] = await t.dataSource.query<{ id: string }[]>(
      `INSERT INTO deployments (id, service_id, org_id, project_id, status, trigger, started_by, started_at, settings)
       VALUES (gen_random_uuid(), $1, $2, $3, 'succeeded', 'deploy', $4, now(), $5::jsonb) RETURNING id`,
      [service.id, orgId, projectId, service.created_by, JSON.stringify(settings)],
    );
    return { serviceId: service.id, id: row?.id ?? '' };
  }
  const patch = (id: string, body: unknown, token = t.adminToken) =>
    t.http
      .patch(`/v1/resource-profiles/${id}`)
      .set(bearer(token))
      .send(body as object);
  const remove = (id: string, token = t.adminToken) =>
    t.http.delete(`/v1/resource-profiles/${id}`).set(bearer(token));

  describe('labels', () => {
    it('stores labels given at creation and answers them on GET and in lists', async () => {
      const labels = { [STACK]: 'prod', tier: 'gpu', empty: '' };
      const profile = await createProfile({ labels });
      expect(profile.labels).toEqual(labels);
      const got = await t.http
        .get(`/v1/resource-profiles/${profile.id}`)
        .set(bearer(user.token))
        .expect(200);
      expect((got.body as { data: ProfileView }).data).toEqual(profile);
      expect((await createProfile({ labels: MAX_LABELS_BODY })).labels).toEqual(MAX_LABELS_BODY);
      expect((await builtIn('small')).labels).toEqual({});
    });

    it('filters the list by label: one, two (both must match), or none matching', async () => {
      const stack = uniqueName('stack');
      const web = await createProfile({ labels: { [STACK]: stack, tier: 'web' } });
      const db = await createProfile({ labels: { [STACK]: stack, tier: 'db' } });
      await createProfile({ labels: { [STACK]: `${stack}-other`, tier: 'web' } });
      expect(await listIds(`label=${STACK}=${stack}`)).toEqual([web.id, db.id].sort());
      expect(await listIds(`label=${STACK}=${stack}&label=tier=web`)).toEqual([web.id]);
      expect(await listIds(`label=${STACK}=${stack}&label=tier=gpu`)).toEqual([]);
      expect(await listIds(`purpose=service&label=${STACK}=${stack}&label=tier=db`)).toEqual([
        db.id,
      ]);
    });

    it.each(BAD_LABELS)(
      'refuses %s at creation, naming the key',
      async (_case, labels, message) => {
        const res = await t.http
          .post('/v1/resource-profiles')
          .set(admin())
          .send({ name: uniqueName('rp'), cpu: '1', memory: '1Gi', labels })
          .expect(400);
        expect(expectError(res.body, ErrorCode.ValidationFailed).message).toMatch(message);
      },
    );

    it.each(BAD_LABEL_FILTERS)('refuses a label filter with %s', async (_case, query, message) => {
      const res = await t.http
        .get(`/v1/resource-profiles?${query}`)
        .set(bearer(user.token))
        .expect(400);
      expect(expectError(res.body, ErrorCode.ValidationFailed).message).toMatch(message);
    });
  });

  describe('PATCH /v1/resource-profiles/{id}', () => {
    it('lets an admin change description and labels; the size and name stay', async () => {
      const profile = await createProfile({ description: 'before', labels: { tier: 'web' } });
      const res = await patch(profile.id, { labels: { [STACK]: 'prod' } }).expect(200);
      expect((res.body as { data: ProfileView }).data).toEqual({
        ...profile,
        labels: { [STACK]: 'prod' },
      });
      const cleared = await patch(profile.id, { description: null, labels: {} }).expect(200);
      expect((cleared.body as { data: ProfileView }).data).toMatchObject({
        name: profile.name,
        description: null,
        cpu: '1',
        labels: {},
      });
    });

    it('lets an admin label a built-in profile', async () => {
      const medium = await builtIn('medium');
      const res = await patch(medium.id, { labels: { [STACK]: 'platform' } }).expect(200);
      expect((res.body as { data: ProfileView }).data).toEqual({
        ...medium,
        labels: { [STACK]: 'platform' },
      });
      await patch(medium.id, { labels: {} }).expect(200);
    });

    it('answers 403 to a non-admin and changes nothing', async () => {
      const profile = await createProfile({ labels: { tier: 'web' } });
      const res = await patch(profile.id, { labels: {} }, user.token).expect(403);
      expect(expectError(res.body, ErrorCode.Forbidden).message).toBe(
        'Only admins can change resource profiles',
      );
      const got = await t.http
        .get(`/v1/resource-profiles/${profile.id}`)
        .set(bearer(user.token))
        .expect(200);
      expect((got.body as { data: ProfileView }).data.labels).toEqual({ tier: 'web' });
    });

    it('answers 404 for an unknown id and 400 for a malformed one', async () => {
      const id = randomUUID();
      const missing = await patch(id, { description: 'x' }).expect(404);
      expect(expectError(missing.body, ErrorCode.NotFound).message).toBe(
        `Resource profile ${id} was not found`,
      );
      const bad = await patch('medium', { description: 'x' }).expect(400);
      expect(expectError(bad.body, ErrorCode.ValidationFailed).message).toMatch(
        /^id: must be a UUID/,
      );
    });

    it.each([
      [{ cpu: '2' }, 'cpu: is not a known field'],
      [{ name: 'renamed' }, 'name: is not a known field'],
      [{ description: 'd'.repeat(501) }, 'description: must be at most 500 characters'],
      [{ description: 5 }, 'description: must be a string'],
      [{ labels: { 'Bad Key': 'x' } }, 'labels: key "Bad Key" must be'],
      [{ labels: null }, 'labels: must be an object of string keys to string values'],
    ])('answers 400 for %j, naming the field', async (body, message) => {
      const profile = await builtIn('small');
      const res = await patch(profile.id, body).expect(400);
      expect(expectError(res.body, ErrorCode.ValidationFailed).message).toContain(message);
    });
  });

  describe('DELETE /v1/resource-profiles/{id}', () => {
    it('lets an admin delete an unused profile, answering what it deleted; afterwards it is 404', async () => {
      const profile = await createProfile();
      const res = await remove(profile.id).expect(200);
      expect(res.body).toEqual({ data: profile });
      await t.http.get(`/v1/resource-profiles/${profile.id}`).set(bearer(user.token)).expect(404);
      expectError((await remove(profile.id).expect(404)).body, ErrorCode.NotFound);
    });

    it.each(DEFAULT_PROFILES.map((seed) => seed.name))(
      'refuses to delete the built-in profile %s',
      async (name) => {
        const profile = await builtIn(name);
        const res = await remove(profile.id).expect(403);
        expect(expectError(res.body, ErrorCode.ResourceProfileBuiltIn).message).toBe(
          `Resource profile '${name}' is built in (seeded at every start) and cannot be deleted; its description and labels can change`,
        );
        await t.http.get(`/v1/resource-profiles/${profile.id}`).set(admin()).expect(200);
      },
    );

    it('refuses while deployments were made with it, then deletes it once they are gone', async () => {
      const profile = await createProfile();
      const first = await deploymentUsing(profile.id);
      const second = await deploymentUsing(profile.id);
      const refused = await remove(profile.id).expect(409);
      const ids = [first.serviceId, second.serviceId].sort().join(', ');
      expect(expectError(refused.body, ErrorCode.ResourceProfileInUse).message).toBe(
        `Resource profile '${profile.name}' is used by 2 deployments of 2 services (${ids}); it can be deleted once no deployment refers to it (deleting a service deletes its deployments)`,
      );
      await t.http.delete(`/v1/services/${first.serviceId}`).set(admin()).expect(200);
      const still = await remove(profile.id).expect(409);
      expect(expectError(still.body, ErrorCode.ResourceProfileInUse).message).toContain(
        `is used by 1 deployment of 1 service (${second.serviceId})`,
      );
      await t.http.delete(`/v1/services/${second.serviceId}`).set(admin()).expect(200);
      await remove(profile.id).expect(200);
    });

    it("is not held by other profiles' deployments", async () => {
      const used = await createProfile();
      await deploymentUsing(used.id);
      const unused = await createProfile();
      await remove(unused.id).expect(200);
    });

    it('answers 403 to a non-admin and deletes nothing', async () => {
      const profile = await createProfile();
      const res = await remove(profile.id, user.token).expect(403);
      expect(expectError(res.body, ErrorCode.Forbidden).message).toBe(
        'Only admins can delete resource profiles',
      );
      await t.http.get(`/v1/resource-profiles/${profile.id}`).set(admin()).expect(200);
    });

    it('answers 404 for an unknown id and 400 for a malformed one', async () => {
      const id = randomUUID();
      const missing = await remove(id).expect(404);
      expect(expectError(missing.body, ErrorCode.NotFound).message).toBe(
        `Resource profile ${id} was not found`,
      );
      const bad = await remove('small').expect(400);
      expect(expectError(bad.body, ErrorCode.ValidationFailed).message).toMatch(
        /^id: must be a UUID/,
      );
    });
  });

  describeCredentialChecks(
    () => t,
    () => [
      [
        'PATCH /v1/resource-profiles/{id}',
        (token) =>
          withToken(
            t.http.patch(`/v1/resource-profiles/${randomUUID()}`).send({ labels: {} }),
            token,
          ),
      ],
      [
        'DELETE /v1/resource-profiles/{id}',
        (token) => withToken(t.http.delete(`/v1/resource-profiles/${randomUUID()}`), token),
      ],
    ],
  );
});
