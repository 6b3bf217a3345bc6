import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Global, Inject, Injectable, Module } from '@nestjs/common';
import { credentialHasher, deriveKey } from '@slipway/contracts';
import { APP_CONFIG } from '../../config/config.module';
import { type AppConfig } from '../../config/config.schema';

/**
 * Keyed hashes (HMAC-SHA256) of tokens and keys: a stolen table cannot be checked against
 * guesses without the server's key, and lookups stay a single indexed equality.
 */
@Injectable()
export class CredentialHasher {
  /** Shared with the collector and edge (libs/contracts) so every process agrees. */
  private readonly hashValue: (value: string) => string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.hashValue = credentialHasher(config.secretKey);
  }

  hash(value: string): string {
    return this.hashValue(value);
  }
}

const ENVELOPE_VERSION = 'v1';

/** AES-256-GCM for secrets at rest (service tokens, secret env values). */
@Injectable()
export class SecretBox {
  private readonly key: Buffer;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.key = deriveKey(config.secretKey, 'secret-encryption');
  }

  encrypt(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${ENVELOPE_VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64')}`;
  }

  decrypt(sealed: string): string {
    const [version, payload] = sealed.split(':');
    if (version !== ENVELOPE_VERSION || !payload)
      throw new Error('Unknown secret envelope version');
    const bytes = Buffer.from(payload, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
  }
}

@Global()
@Module({ providers: [CredentialHasher, SecretBox], exports: [CredentialHasher, SecretBox] })
export class CryptoModule {}
