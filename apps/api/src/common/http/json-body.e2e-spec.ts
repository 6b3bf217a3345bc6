/**
 * Deeply nested bodies: JSON.parse accepts any depth, but the validation that walks a body
 * recurses per level, so without a bound a few thousand levels answered 500.
 */
import { ErrorCode } from '@slipway/contracts';
import { bundleOf } from '../../../test/support/docker-stack';
import { createService, expectError } from '../../../test/support/fixtures';
import { bearer, startTestApp, type TestApp } from '../../../test/support/test-app';
import { MAX_JSON_DEPTH } from './json-depth';

const TOO_DEEP = `The request body nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels`;

const nestedArrays = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);
/** `{"a": {"a": … 1 …}}`, `depth` objects deep. */
const nestedObjects = (depth: number): string => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

describe('deeply nested JSON bodies', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const postJson = (path: string, body: string, token: string | null = t.adminToken) => {
    const req = t.http.post(path).set('Content-Type', 'application/json');
    return token === null ? req.send(body) : req.set(bearer(token)).send(body);
  };

  it('answers `[` repeated 100,000 times (never closed) with 400 malformed_json', async () => {
    const res = await postJson('/v1/services', '['.repeat(100_000)).expect(400);
    expect(expectError(res.body, ErrorCode.MalformedJson).message).toMatch(/not valid JSON/);
  });

  it.each(['/v1/orgs', '/v1/services', '/v1/tokens', '/v1/access-keys', '/v1/users'])(
    'answers 100,000 nested arrays or objects on POST %s with 400 naming the limit',
    async (path) => {
      for (const body of [nestedArrays(100_000), nestedObjects(100_000)]) {
        const res = await postJson(path, body).expect(400);
        expect(expectError(res.body, ErrorCode.MalformedJson).message).toBe(TOO_DEEP);
      }
    },
  );

  it('answers before authentication and routing, for any caller and path', async () => {
    const anonymous = await postJson('/v1/orgs', nestedArrays(100_000), null).expect(400);
    expect(expectError(anonymous.body, ErrorCode.MalformedJson).message).toBe(TOO_DEEP);
    const nowhere = await postJson('/v1/nothing-here', nestedObjects(100_000)).expect(400);
    expectError(nowhere.body, ErrorCode.MalformedJson);
  });

  it('answers 5,000 levels, which JSON.parse takes but validation could not, with 400', async () => {
    for (const body of [
      nestedArrays(5_000),
      nestedObjects(5_000),
      `{"name": "x", "description": ${nestedObjects(5_000)}}`,
    ]) {
      const res = await postJson('/v1/orgs', body).expect(400);
      expect(expectError(res.body, ErrorCode.MalformedJson).message).toBe(TOO_DEEP);
    }
  });

  it('validates a body at the limit as usual, and refuses one level more', async () => {
    // The body object is level 1, so the field's value may nest MAX_JSON_DEPTH - 1 levels.
    const atLimit = `{"name": "x", "description": ${nestedArrays(MAX_JSON_DEPTH - 1)}}`;
    const validated = await postJson('/v1/orgs', atLimit).expect(400);
    expect(expectError(validated.body, ErrorCode.ValidationFailed).message).toMatch(
      /^description: /,
    );
    const over = `{"name": "x", "description": ${nestedArrays(MAX_JSON_DEPTH)}}`;
    const refused = await postJson('/v1/orgs', over).expect(400);
    expect(expectError(refused.body, ErrorCode.MalformedJson).message).toBe(TOO_DEEP);
  });

  it('answers a deeply nested `data` field of a multipart deploy with 400', async () => {
    const service = await createService(t);
    const bundle = await bundleOf({ Dockerfile: 'FROM scratch\n' });
    const data = `{"docker": {"file": "Dockerfile", "context": ".", "x": ${nestedArrays(5_000)}}}`;
    const res = await t.http
      .post(`/v1/services/${service.id}/deploy`)
      .set(bearer(t.adminToken))
      .field('data', data)
      .attach('source', bundle, 'archive.tar.gz')
      .expect(400);
    expect(expectError(res.body, ErrorCode.ValidationFailed).message).toBe(TOO_DEEP);
  });
});
