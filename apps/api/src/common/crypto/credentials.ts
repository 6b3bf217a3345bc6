import { randomBytes } from 'node:crypto';
import { TOKEN_PREFIX, type TokenKind } from '@slipway/contracts';

/** A fresh credential: its kind's prefix and 240 bits of randomness. */
export function generateCredential(kind: TokenKind): string {
  return TOKEN_PREFIX[kind] + randomBytes(30).toString('base64url');
}
