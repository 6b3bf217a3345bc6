import { createHash } from 'node:crypto';
import { TOKEN_PREFIX, type TokenKind } from '@slipway/contracts';
import { type AppConfig } from '../../config/config.schema';
import { generateCredential } from './credentials';
import { CredentialHasher, SecretBox } from './crypto.module';

const KEY_A = 'secret-key-a-that-is-at-least-32-characters';
const KEY_B = 'secret-key-b-that-is-at-least-32-characters';
const configWith = (secretKey: string): AppConfig => ({ secretKey }) as AppConfig;

/** Flips one bit of the decoded payload at `index` and re-seals it in the same envelope. */
function tamper(sealed: string, index: number): string {
  const [version, payload] = sealed.split(':');
  const bytes = Buffer.from(payload ?? '', 'base64');
  bytes[index] = (bytes[index] ?? 0) ^ 0x01;
  return `${version ?? ''}:${bytes.toString('base64')}`;
}

describe('SecretBox', () => {
  const box = new SecretBox(configWith(KEY_A));

  it.each(['', 'hunter2', 'ünïcødé ✓ 🚀', 'x'.repeat(10_000)])('round-trips %j', (plaintext) => {
    expect(box.decrypt(box.encrypt(plaintext))).toBe(plaintext);
  });

  it('seals in a versioned envelope that does not contain the plaintext', () => {
    const sealed = box.encrypt('very-secret-value');
    expect(sealed).toMatch(/^v1:[A-Za-z0-9+/]+=*$/);
    expect(sealed).not.toContain('very-secret-value');
    expect(Buffer.from(sealed.slice(3), 'base64').toString('utf8')).not.toContain('very-secret');
  });

  it('uses a fresh IV each time: the same plaintext seals differently', () => {
    const first = box.encrypt('same');
    const second = box.encrypt('same');
    expect(first).not.toBe(second);
    expect(box.decrypt(first)).toBe('same');
    expect(box.decrypt(second)).toBe('same');
  });

  it.each([
    ['the IV', 0],
    ['the auth tag', 12],
    ['the ciphertext', 30],
  ])('refuses a payload with a flipped bit in %s', (_part, index) => {
    const sealed = box.encrypt('do not touch this value');
    expect(() => box.decrypt(tamper(sealed, index))).toThrow();
  });

  it('refuses a truncated payload', () => {
    const sealed = box.encrypt('do not touch this value');
    expect(() => box.decrypt(sealed.slice(0, -8))).toThrow();
    expect(() => box.decrypt('v1:AAAA')).toThrow();
  });

  it('refuses an unknown envelope version or a missing payload', () => {
    const sealed = box.encrypt('value');
    expect(() => box.decrypt(sealed.replace(/^v1:/, 'v2:'))).toThrow(
      'Unknown secret envelope version',
    );
    expect(() => box.decrypt('v1:')).toThrow('Unknown secret envelope version');
    expect(() => box.decrypt('plaintext')).toThrow('Unknown secret envelope version');
  });

  it('is keyed: another secret key cannot open it', () => {
    const other = new SecretBox(configWith(KEY_B));
    const sealed = box.encrypt('value');
    expect(() => other.decrypt(sealed)).toThrow();
    expect(new SecretBox(configWith(KEY_A)).decrypt(sealed)).toBe('value');
  });
});

describe('CredentialHasher', () => {
  const hasher = new CredentialHasher(configWith(KEY_A));

  it('is deterministic, 64 hex characters', () => {
    const hash = hasher.hash('slp_pat_abc');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hasher.hash('slp_pat_abc')).toBe(hash);
    expect(new CredentialHasher(configWith(KEY_A)).hash('slp_pat_abc')).toBe(hash);
  });

  it('gives different values different hashes', () => {
    expect(hasher.hash('slp_pat_abc')).not.toBe(hasher.hash('slp_pat_abd'));
    expect(hasher.hash('')).not.toBe(hasher.hash(' '));
  });

  it('is keyed: another secret key, or a plain SHA-256, gives another hash', () => {
    const value = 'slp_ak_some-key';
    expect(new CredentialHasher(configWith(KEY_B)).hash(value)).not.toBe(hasher.hash(value));
    expect(hasher.hash(value)).not.toBe(createHash('sha256').update(value).digest('hex'));
  });
});

describe('generateCredential', () => {
  const kinds = Object.keys(TOKEN_PREFIX) as TokenKind[];

  it.each(kinds)('starts a %s with its prefix followed by 40 base64url characters', (kind) => {
    const value = generateCredential(kind);
    expect(value.startsWith(TOKEN_PREFIX[kind])).toBe(true);
    expect(value.slice(TOKEN_PREFIX[kind].length)).toMatch(/^[A-Za-z0-9_-]{40}$/);
  });

  it('uses the documented prefixes', () => {
    expect(generateCredential('personalAccessToken')).toMatch(/^slp_pat_/);
    expect(generateCredential('accessKey')).toMatch(/^slp_ak_/);
    expect(generateCredential('serviceToken')).toMatch(/^slp_st_/);
  });

  it('never repeats itself', () => {
    const values = new Set(Array.from({ length: 500 }, () => generateCredential('accessKey')));
    expect(values.size).toBe(500);
  });
});
