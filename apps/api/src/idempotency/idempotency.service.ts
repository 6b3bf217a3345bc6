import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { ErrorCode } from '@slipway/contracts';
import { LessThan, type Repository } from 'typeorm';
import { SecretBox } from '../common/crypto/crypto.module';
import { DomainError } from '../common/errors/domain-error';
import { APP_CONFIG } from '../config/config.module';
import { type AppConfig } from '../config/config.schema';
import { IdempotencyRecord } from './idempotency-record.entity';

export type IdempotencyOutcome =
  { kind: 'first'; recordId: string } | { kind: 'replay'; status: number; body: unknown };

interface SealedBody {
  sealed: string;
}

/** A request still "in flight" after this long died with its process; a retry may take over. */
const STALE_IN_FLIGHT_MS = 5 * 60 * 1000;
const PURGE_INTERVAL_MS = 60 * 60 * 1000;

@Injectable()
export class IdempotencyService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(IdempotencyService.name);
  private purgeTimer?: NodeJS.Timeout;

  constructor(
    @InjectRepository(IdempotencyRecord) private readonly records: Repository<IdempotencyRecord>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly secretBox: SecretBox,
  ) {}

  onModuleInit(): void {
    this.purgeTimer = setInterval(() => void this.purgeExpired(), PURGE_INTERVAL_MS).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.purgeTimer);
  }

  async purgeExpired(): Promise<void> {
    try {
      await this.records.delete({ expiresAt: LessThan(new Date()) });
    } catch (error) {
      this.logger.warn(`Purging expired idempotency records failed: ${(error as Error).message}`);
    }
  }

  /** Claims the key for this request, or says how to answer a repeat of it. */
  async begin(userId: string, key: string, requestHash: string): Promise<IdempotencyOutcome> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const expiresAt = new Date(Date.now() + this.config.idempotency.ttlHours * 3600_000);
      const inserted = await this.records
        .createQueryBuilder()
        .insert()
        .values({ userId, key, requestHash, state: 'in_flight', expiresAt, responseStatus: null })
        .orIgnore()
        .returning(['id'])
        .execute();
      const row = (inserted.raw as { id: string }[])[0];
      if (row) return { kind: 'first', recordId: row.id };

      const existing = await this.records.findOne({ where: { userId, key } });
      if (!existing) continue; // removed between our insert and read; claim it again
      const stale =
        existing.expiresAt.getTime() <= Date.now() ||
        (existing.state === 'in_flight' &&
          Date.now() - existing.createdAt.getTime() > STALE_IN_FLIGHT_MS);
      if (stale) {
        await this.records.delete({ id: existing.id });
        continue;
      }
      if (existing.requestHash !== requestHash) {
        throw new DomainError(
          ErrorCode.IdempotencyKeyReused,
          `Idempotency-Key '${key}' was already used with a different request; use a new key for a new request`,
        );
      }
      if (existing.state === 'in_flight') {
        throw new DomainError(
          ErrorCode.IdempotencyRequestInProgress,
          `A request with Idempotency-Key '${key}' is still being processed; retry once it has finished`,
        );
      }
      return {
        kind: 'replay',
        status: existing.responseStatus ?? 200,
        body: this.unseal(existing.responseBody),
      };
    }
    throw new DomainError(
      ErrorCode.Conflict,
      `Idempotency-Key '${key}' is contended; retry the request`,
    );
  }

  /**
   * Stores the answer sealed: creating calls answer with credentials shown once (an access
   * key's value), which must not sit readable in the database until the record expires.
   */
  async complete(recordId: string, status: number, body: unknown): Promise<void> {
    const sealed: SealedBody = { sealed: this.secretBox.encrypt(JSON.stringify(body) ?? 'null') };
    await this.records.update(recordId, {
      state: 'completed',
      responseStatus: status,
      responseBody: sealed,
    });
  }

  private unseal(stored: unknown): unknown {
    return JSON.parse(this.secretBox.decrypt((stored as SealedBody).sealed)) as unknown;
  }

  /** The request failed: nothing was created, so the key is freed for a retry. */
  async abandon(recordId: string): Promise<void> {
    await this.records.delete({ id: recordId });
  }
}
