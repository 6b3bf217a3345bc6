import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type NestExpressApplication } from '@nestjs/platform-express';
import Redis from 'ioredis';
import { Client } from 'pg';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.setup';
import { type AppConfig } from '../../src/config/config.schema';
import { loadConfig } from '../../src/config/load-config';
import { testInfraFromEnv } from './test-infra';

export const TEST_SECRET_KEY = 'test-secret-key-that-is-at-least-32-chars';

export interface TestApp {
  app: NestExpressApplication;
  http: TestAgent;
  config: AppConfig;
  dataSource: DataSource;
  databaseUrl: string;
  /** The bootstrap admin's PAT. */
  adminToken: string;
  close(options?: { keepDatabase?: boolean }): Promise<void>;
}

export interface TestAppOptions {
  /** Dotted config paths, e.g. `{ 'services.enabled': false }`. */
  overrides?: Record<string, unknown>;
  /** Reuse an existing database instead of creating a fresh one. */
  databaseUrl?: string;
}

async function adminQuery(sql: string): Promise<void> {
  const client = new Client({ connectionString: testInfraFromEnv().databaseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh database per test file: created here, migrated by the app at start, dropped on close. */
export async function createTestDatabase(): Promise<string> {
  const name = `slipway_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(testInfraFromEnv().databaseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropTestDatabase(databaseUrl: string): Promise<void> {
  const name = new URL(databaseUrl).pathname.slice(1);
  await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const ownsDatabase = !options.databaseUrl;
  const databaseUrl = options.databaseUrl ?? (await createTestDatabase());
  const adminToken = `slp_pat_test_${randomBytes(12).toString('hex')}`;
  // Each app gets its own queues and bundle directory: test files run in parallel.
  const bundlesDir = await mkdtemp(join(tmpdir(), 'slipway-bundles-'));
  const config = loadConfig({
    env: { NODE_ENV: 'test' },
    overrides: {
      'database.url': databaseUrl,
      'redis.url': testInfraFromEnv().redisUrl,
      'services.enabled': true,
      'log.level': 'silent',
      secretKey: TEST_SECRET_KEY,
      'bootstrap.token': adminToken,
      'queues.prefix': `test${randomBytes(6).toString('hex')}`,
      'bundles.dir': bundlesDir,
      ...options.overrides,
    },
  });
  const app = await createApp(config);
  await app.init();
  return {
    app,
    http: request(app.getHttpServer()),
    config,
    dataSource: app.get(DataSource),
    databaseUrl,
    adminToken: config.bootstrap.token ?? adminToken,
    async close({ keepDatabase = false } = {}) {
      await app.close();
      await removeQueueKeys(config.redis.url, config.queues.prefix);
      await rm(bundlesDir, { recursive: true, force: true });
      if (ownsDatabase && !keepDatabase) await dropTestDatabase(databaseUrl);
    },
  };
}

/**
 * The app's queues live under a prefix of their own: remove them with it. Best effort: an
 * app started against an unreachable Redis (the readiness tests) has nothing to remove.
 */
async function removeQueueKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 500 })) {
      if ((keys as string[]).length > 0) await redis.del(...(keys as string[]));
    }
  } catch {
    // Nothing reachable to clean.
  } finally {
    redis.disconnect();
  }
}

export function bearer(token: string): { Authorization: string } {
  return { Authorization: `Bearer ${token}` };
}
