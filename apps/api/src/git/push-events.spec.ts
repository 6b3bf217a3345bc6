import { createHmac } from 'node:crypto';
import { deliveryId, parsePush, verifyPush } from './push-events';

const SECRET = 'webhook-secret-0123456789';
const body = Buffer.from(JSON.stringify({ ref: 'refs/heads/main', after: 'a'.repeat(40) }));
const githubSignature = (payload: Buffer, secret = SECRET): string =>
  `sha256=${createHmac('sha256', secret).update(payload).digest('hex')}`;

describe('verifyPush', () => {
  it("accepts GitHub's signature of the raw body, and GitLab's token", () => {
    expect(verifyPush({ 'x-hub-signature-256': githubSignature(body) }, body, SECRET)).toEqual({
      ok: true,
      host: 'github',
    });
    expect(verifyPush({ 'x-gitlab-token': SECRET }, body, SECRET)).toEqual({
      ok: true,
      host: 'gitlab',
    });
  });

  it('refuses a signature by another secret, of another body, or malformed', () => {
    const other = Buffer.from(`${body.toString()} `);
    for (const signature of [
      githubSignature(body, 'another-secret'),
      githubSignature(other),
      'sha256=abc',
      `sha1=${'0'.repeat(40)}`,
    ]) {
      const result = verifyPush({ 'x-hub-signature-256': signature }, body, SECRET);
      expect(result.ok).toBe(false);
    }
  });

  it('refuses a wrong GitLab token, an empty one, and an unsigned request, saying which', () => {
    expect(verifyPush({ 'x-gitlab-token': `${SECRET}x` }, body, SECRET)).toEqual({
      ok: false,
      reason: "X-Gitlab-Token is not the service's webhook secret",
    });
    expect(verifyPush({ 'x-gitlab-token': '' }, body, SECRET).ok).toBe(false);
    const unsigned = verifyPush({}, body, SECRET);
    expect(unsigned.ok).toBe(false);
    expect(!unsigned.ok && unsigned.reason).toMatch(/not signed/);
  });
});

describe('parsePush', () => {
  it('reads the branch and commit of a GitHub push and of a GitLab push', () => {
    expect(
      parsePush(
        'github',
        { 'x-github-event': 'push' },
        { ref: 'refs/heads/main', after: 'b'.repeat(40) },
      ),
    ).toEqual({ kind: 'push', branch: 'main', sha: 'b'.repeat(40), deleted: false });
    expect(
      parsePush(
        'gitlab',
        { 'x-gitlab-event': 'Push Hook' },
        { ref: 'refs/heads/feature/x', after: 'c'.repeat(40), checkout_sha: 'd'.repeat(40) },
      ),
    ).toEqual({ kind: 'push', branch: 'feature/x', sha: 'd'.repeat(40), deleted: false });
  });

  it('tells tags, branch deletions and other events apart', () => {
    expect(
      parsePush(
        'github',
        { 'x-github-event': 'push' },
        { ref: 'refs/tags/v1', after: 'e'.repeat(40) },
      ),
    ).toMatchObject({ kind: 'push', branch: null });
    expect(
      parsePush(
        'github',
        { 'x-github-event': 'push' },
        { ref: 'refs/heads/main', after: '0'.repeat(40) },
      ),
    ).toMatchObject({ deleted: true });
    expect(parsePush('github', { 'x-github-event': 'ping' }, {})).toEqual({
      kind: 'other',
      event: 'ping',
    });
    expect(parsePush('gitlab', { 'x-gitlab-event': 'Tag Push Hook' }, {})).toMatchObject({
      kind: 'other',
    });
    expect(parsePush('github', { 'x-github-event': 'push' }, { after: 'x' })).toMatchObject({
      kind: 'invalid',
    });
  });
});

describe('deliveryId', () => {
  const push = { kind: 'push', branch: 'main', sha: 'f'.repeat(40), deleted: false } as const;

  it("is the host's delivery id, else the pushed commit", () => {
    expect(deliveryId({ 'x-github-delivery': '72d3162e-cc78-11e3' }, push)).toBe(
      'delivery:72d3162e-cc78-11e3',
    );
    expect(deliveryId({ 'x-gitlab-event-uuid': 'a-b-c' }, push)).toBe('delivery:a-b-c');
    expect(deliveryId({}, push)).toBe(`commit:${'f'.repeat(40)}`);
    // An id that could not be a key is not trusted as one.
    expect(deliveryId({ 'x-github-delivery': 'x y\nz' }, push)).toBe(`commit:${'f'.repeat(40)}`);
  });
});
