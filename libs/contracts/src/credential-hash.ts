import { createHmac, hkdfSync } from 'node:crypto';

/**
 * A key for one purpose derived from the installation's secret key (`SLIPWAY_SECRET_KEY`),
 * so hashing and encryption never share key material.
 */
export function deriveKey(secretKey: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secretKey, 'slipway', purpose, 32));
}

/**
 * The key every process falls back to outside production when `SLIPWAY_SECRET_KEY` is unset,
 * so a local API and collector still agree on hashes. Never valid in production.
 */
export const DEVELOPMENT_SECRET_KEY = 'slipway-development-secret-key-do-not-use-in-production';

/** The purpose under which credential hashes are keyed. */
export const CREDENTIAL_HASH_PURPOSE = 'credential-hash';

/**
 * Keyed hash (HMAC-SHA256, lowercase hex) of tokens and keys as stored in the database.
 * Every process that looks credentials up (API, collector, edge) hashes through this one
 * function so they agree; a stolen table cannot be checked against guesses without the key.
 */
export function credentialHasher(secretKey: string): (value: string) => string {
  const key = deriveKey(secretKey, CREDENTIAL_HASH_PURPOSE);
  return (value) => createHmac('sha256', key).update(value).digest('hex');
}
