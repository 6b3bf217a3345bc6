import { randomBytes } from 'node:crypto';
import { TOKEN_PREFIX, type TokenKind } from '@slipway/contracts';

/** A fresh credential: its kind's prefix and 240 bits of randomness. */
export function generateCredential(kind: TokenKind): string {
  return TOKEN_PREFIX[kind] + randomBytes(30).toString('base64url');
}

/** The part of a credential safe to show again after creation. */
export function credentialHint(value: string): { prefix: string; last_four: string } {
  const kind = Object.values(TOKEN_PREFIX).find((prefix) => value.startsWith(prefix));
  return { prefix: kind ?? value.slice(0, 4), last_four: value.slice(-4) };
}
