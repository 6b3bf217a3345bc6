import { ErrorCode, MAX_TAGS, type ServiceResource } from '@slipway/contracts';
import {
  createService,
  createTenant,
  expectError,
  type TestTenant,
  uniqueName,
} from '../../test/support/fixtures';
import { bearer, startTestApp, type TestApp } from '../../test/support/test-app';

describe('services: tags', () => {
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

  const newService = (tenant: TestTenant, body: Record<string, unknown> = {}) =>
    createService(t, { token: tenant.user.token, projectId: tenant.projectId, body });
  async function listed(tenant: TestTenant, query: string): Promise<string[]> {
    const res = await t.http
      .get(`/v1/services?project_id=${tenant.projectId}&per_page=100&${query}`)
      .set(bearer(tenant.user.token))
      .expect(200);
    return (res.body as { data: ServiceResource[] }).data.map((s) => s.id).sort();
  }

  it('keeps the tags given at creation, [] when none, and answers them on GET', async () => {
    const tagged = await newService(a, { tags: ['team-a', 'gpu', 'v1.2:beta'] });
    expect(tagged.tags).toEqual(['team-a', 'gpu', 'v1.2:beta']);
    expect((await newService(a)).tags).toEqual([]);
    const got = await t.http.get(`/v1/services/${tagged.id}`).set(bearer(a.user.token)).expect(200);
    expect((got.body as { data: ServiceResource }).data.tags).toEqual([
      'team-a',
      'gpu',
      'v1.2:beta',
    ]);
  });

  it('filters lists by ?tag=, every given tag must be there', async () => {
    const both = await newService(a, { tags: ['filter-x', 'filter-y'] });
    const one = await newService(a, { tags: ['filter-x'] });
    await newService(a, { tags: ['filter-z'] });
    expect(await listed(a, 'tag=filter-x')).toEqual([both.id, one.id].sort());
    expect(await listed(a, 'tag=filter-x&tag=filter-y')).toEqual([both.id]);
    expect(await listed(a, 'tag=nothing-has-this')).toEqual([]);
  });

  it('PUT replaces the tags, leaves them when absent, and [] removes them all', async () => {
    const service = await newService(a, { tags: ['old'] });
    const put = (body: object) =>
      t.http.put(`/v1/services/${service.id}`).set(bearer(a.user.token)).send(body).expect(200);
    expect(
      ((await put({ tags: ['new', 'more'] })).body as { data: ServiceResource }).data.tags,
    ).toEqual(['new', 'more']);
    expect(((await put({ description: 'x' })).body as { data: ServiceResource }).data.tags).toEqual(
      ['new', 'more'],
    );
    expect(((await put({ tags: [] })).body as { data: ServiceResource }).data.tags).toEqual([]);
  });

  const tooMany = Array.from({ length: MAX_TAGS + 1 }, (_, i) => `t${i}`);
  it.each([
    ['a string', 'gpu', /tags: must be a list of strings/],
    ['an upper-case tag', ['GPU'], /tags: "GPU" is not a tag/],
    ['an empty tag', [''], /tags: "" is not a tag/],
    ['a number', [7], /tags: "7" is not a tag/],
    ['a tag given twice', ['a', 'a'], /tags: "a" is given twice/],
    [`more than ${MAX_TAGS}`, tooMany, new RegExp(`at most ${MAX_TAGS} tags`)],
  ])(
    'refuses %s with 400 naming the problem, on create and on PUT',
    async (_case, tags, message) => {
      const created = await t.http
        .post('/v1/services')
        .set(bearer(a.user.token))
        .send({ name: uniqueName('svc'), project_id: a.projectId, tags })
        .expect(400);
      expect(expectError(created.body, ErrorCode.ValidationFailed).message).toMatch(message);
      const service = await newService(a);
      const put = await t.http
        .put(`/v1/services/${service.id}`)
        .set(bearer(a.user.token))
        .send({ tags })
        .expect(400);
      expect(expectError(put.body, ErrorCode.ValidationFailed).message).toMatch(message);
    },
  );

  it('refuses a malformed ?tag= filter with 400', async () => {
    const res = await t.http
      .get(`/v1/services?project_id=${a.projectId}&tag=Not%20A%20Tag`)
      .set(bearer(a.user.token))
      .expect(400);
    expect(expectError(res.body, ErrorCode.ValidationFailed).message).toMatch(
      /tag: "Not A Tag" is not a tag/,
    );
  });

  it('a foreign tenant neither sees nor tags the service: 404', async () => {
    const service = await newService(a, { tags: ['private-tag'] });
    await t.http
      .put(`/v1/services/${service.id}`)
      .set(bearer(b.user.token))
      .send({ tags: ['x'] })
      .expect(404);
    expect(await listed(b, 'tag=private-tag')).toEqual([]);
  });
});
