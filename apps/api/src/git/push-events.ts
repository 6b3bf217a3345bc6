/**
 * Push webhooks from GitHub and GitLab: who sent one (and whether it is really signed with
 * the service's secret), and what it says. Pure functions, so every case is unit-tested.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

export type GitHost = 'github' | 'gitlab';

export type Headers = Readonly<Record<string, string | string[] | undefined>>;

export type Verification =
  { readonly ok: true; readonly host: GitHost } | { readonly ok: false; readonly reason: string };

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Compares digests, never the secrets themselves: equal lengths, constant time. */
function sameDigest(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

const sha256 = (value: string | Buffer): Buffer => createHash('sha256').update(value).digest();

/**
 * GitHub signs the raw body (`X-Hub-Signature-256: sha256=<hex HMAC>`); GitLab sends the
 * secret itself (`X-Gitlab-Token`). Either must match `secret`.
 */
export function verifyPush(headers: Headers, rawBody: Buffer, secret: string): Verification {
  const signature = header(headers, 'x-hub-signature-256');
  if (signature !== undefined) {
    const hex = /^sha256=([0-9a-f]{64})$/i.exec(signature)?.[1];
    if (!hex) return { ok: false, reason: 'X-Hub-Signature-256 is not sha256=<64 hex digits>' };
    const expected = createHmac('sha256', secret).update(rawBody).digest();
    return sameDigest(Buffer.from(hex, 'hex'), expected)
      ? { ok: true, host: 'github' }
      : {
          ok: false,
          reason:
            "X-Hub-Signature-256 does not match the body signed with the service's webhook secret",
        };
  }
  const token = header(headers, 'x-gitlab-token');
  if (token !== undefined) {
    return sameDigest(sha256(token), sha256(secret))
      ? { ok: true, host: 'gitlab' }
      : { ok: false, reason: "X-Gitlab-Token is not the service's webhook secret" };
  }
  return {
    ok: false,
    reason:
      'The request is not signed: GitHub sends X-Hub-Signature-256 and GitLab X-Gitlab-Token when the webhook has the secret',
  };
}

const PushBody = z.looseObject({
  ref: z.string().max(1024),
  after: z.string().max(128).optional(),
  checkout_sha: z.string().max(128).nullable().optional(),
  deleted: z.boolean().optional(),
});

const ZERO_SHA = /^0+$/;

export type PushEvent =
  /** Something other than a push (a ping, an issue…): acknowledged, nothing done. */
  | { readonly kind: 'other'; readonly event: string }
  | {
      readonly kind: 'push';
      readonly branch: string | null;
      readonly sha: string | null;
      readonly deleted: boolean;
    }
  | { readonly kind: 'invalid'; readonly reason: string };

/** What the (verified) request says, from its event header and JSON body. */
export function parsePush(host: GitHost, headers: Headers, body: unknown): PushEvent {
  const event =
    host === 'github' ? header(headers, 'x-github-event') : header(headers, 'x-gitlab-event');
  const isPush = host === 'github' ? event === 'push' : event === 'Push Hook';
  if (!isPush) return { kind: 'other', event: event ?? '(no event header)' };
  const parsed = PushBody.safeParse(body);
  if (!parsed.success) {
    return { kind: 'invalid', reason: 'a push event needs a JSON body with "ref" (a string)' };
  }
  const { ref, after, checkout_sha: checkout, deleted } = parsed.data;
  const sha = checkout ?? after ?? null;
  return {
    kind: 'push',
    branch: ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : null,
    sha,
    deleted: deleted === true || (after !== undefined && ZERO_SHA.test(after)),
  };
}

/** The host's id for this delivery, the same on a redelivery; else the pushed commit. */
export function deliveryId(headers: Headers, event: PushEvent): string | null {
  const id =
    header(headers, 'x-github-delivery') ??
    header(headers, 'x-gitlab-event-uuid') ??
    header(headers, 'idempotency-key');
  if (id !== undefined && /^[\w.:-]{1,128}$/.test(id)) return `delivery:${id}`;
  return event.kind === 'push' && event.sha ? `commit:${event.sha}` : null;
}
