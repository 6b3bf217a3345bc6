import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { TOKEN_PREFIX, credentialHasher } from '@slipway/contracts';
import { insertRows, organizations, projects, services, spans, users } from '@slipway/db-schema';
import { Client, Pool } from 'pg';

export const TEST_SECRET_KEY = 'collector-test-secret-key-at-least-32-chars';

interface MigratingDataSource {
  initialize(): Promise<MigratingDataSource>;
  runMigrations(options: { transaction: 'each' }): Promise<unknown[]>;
  destroy(): Promise<void>;
}

const API_DIR = join(__dirname, '..', '..', '..', 'api');

function adminUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: run the tests through jest');
  return url;
}

async function adminQuery(sql: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  readonly url: string;
  readonly pool: Pool;
  drop(): Promise<void>;
}

/**
 * A fresh database per test file, migrated with the API's own migrations through its
 * DataSource (the collector writes to the schema the API owns).
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `slipway_collector_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  await runApiMigrations(url.toString());
  const pool = new Pool({ connectionString: url.toString(), max: 4 });
  // The database is dropped WITH (FORCE) at teardown: a connection the pool still holds
  // then is terminated on purpose, which must not surface as an unhandled error.
  pool.on('error', () => undefined);
  return {
    url: url.toString(),
    pool,
    async drop() {
      await pool.end();
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

async function runApiMigrations(url: string): Promise<void> {
  // Loaded at run time (jest transpiles the API's sources): the collector does not depend on
  // TypeORM, and tsc must not pull the API's sources into this package.
  /* eslint-disable @typescript-eslint/no-require-imports */
  require('reflect-metadata');
  const { DataSource } = require('typeorm') as {
    DataSource: new (options: unknown) => MigratingDataSource;
  };
  const { dataSourceOptions } = require(join(API_DIR, 'src/database/data-source-options')) as {
    dataSourceOptions: (url: string) => unknown;
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
  const dataSource = await new DataSource(dataSourceOptions(url)).initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }
}

export interface TestService {
  readonly id: string;
  readonly token: string;
}

/** A user, org, project and service with a fresh service token (hashed as the API does). */
export async function createService(pool: Pool): Promise<TestService> {
  const suffix = randomBytes(4).toString('hex');
  const token = `${TOKEN_PREFIX.serviceToken}${randomBytes(30).toString('base64url')}`;
  const userId = randomUUID();
  const orgId = randomUUID();
  const projectId = randomUUID();
  const serviceId = randomUUID();
  await insertRows(pool, users, [
    { id: userId, email: `user-${suffix}@example.com`, name: 'Test' },
  ]);
  await insertRows(pool, organizations, [{ id: orgId, name: `org-${suffix}` }]);
  await insertRows(pool, projects, [{ id: projectId, org_id: orgId, name: `project-${suffix}` }]);
  await insertRows(pool, services, [
    {
      id: serviceId,
      org_id: orgId,
      project_id: projectId,
      name: `svc-${suffix}`,
      hostname: `svc-${suffix}.localhost`,
      token_hash: credentialHasher(TEST_SECRET_KEY)(token),
      token_ciphertext: 'not-used-by-the-collector',
      created_by: userId,
    },
  ]);
  return { id: serviceId, token };
}

export interface StoredSpan {
  service_id: string;
  trace_id: string;
  span_id: string;
  parent_span_id: string | null;
  name: string;
  kind: number;
  start_time: Date;
  end_time: Date;
  duration_ns: string;
  status_code: number;
  status_message: string | null;
  attributes: Record<string, unknown>;
  events: { name: string; time: string; attributes: Record<string, unknown> }[];
  links: { trace_id: string; span_id: string; attributes: Record<string, unknown> }[];
  resource: Record<string, unknown>;
}

export async function spansOf(pool: Pool, serviceId: string): Promise<StoredSpan[]> {
  const result = await pool.query<StoredSpan>(
    `SELECT * FROM ${spans.name} WHERE service_id = $1 ORDER BY start_time, span_id`,
    [serviceId],
  );
  return result.rows;
}
