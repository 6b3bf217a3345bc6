import { createHmac, hkdfSync } from 'node:crypto';
import { credentialHasher, deriveKey } from './credential-hash';

const KEY_A = 'secret-key-a-that-is-at-least-32-characters';
const KEY_B = 'secret-key-b-that-is-at-least-32-characters';

describe('credentialHasher', () => {
  it('is HMAC-SHA256 keyed by the HKDF-derived credential-hash key', () => {
    const key = Buffer.from(hkdfSync('sha256', KEY_A, 'slipway', 'credential-hash', 32));
    const expected = createHmac('sha256', key).update('slp_st_abc').digest('hex');
    expect(credentialHasher(KEY_A)('slp_st_abc')).toBe(expected);
  });

  it('is deterministic, 64 lowercase hex characters, and depends on value and key', () => {
    const hash = credentialHasher(KEY_A);
    expect(hash('slp_st_abc')).toMatch(/^[0-9a-f]{64}$/);
    expect(hash('slp_st_abc')).toBe(credentialHasher(KEY_A)('slp_st_abc'));
    expect(hash('slp_st_abd')).not.toBe(hash('slp_st_abc'));
    expect(credentialHasher(KEY_B)('slp_st_abc')).not.toBe(hash('slp_st_abc'));
  });

  it('derives distinct keys per purpose', () => {
    expect(deriveKey(KEY_A, 'credential-hash').equals(deriveKey(KEY_A, 'secret-encryption'))).toBe(
      false,
    );
    expect(deriveKey(KEY_A, 'credential-hash')).toHaveLength(32);
  });
});
