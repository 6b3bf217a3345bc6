// What the benchmarks share: a scratch PostgreSQL database, migrated with the API's
// migrations (needs `apps/api` built), holding one user, org, project and service. Dropped
// by `drop()` whatever happened meanwhile.
//
// Env: BENCH_ADMIN_DATABASE_URL (postgres://postgres@127.0.0.1:5432/postgres).
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const require = createRequire(join(ROOT, 'apps', 'api', 'package.json'));
const { Client, Pool } = require('pg');
const { insertRows, organizations, projects, services, users } = require('@slipway/db-schema');

const ADMIN_URL =
  process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function admin(sql) {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Creates, migrates and seeds the database; the service is `orders` with the given access
 * type, hostname and token hash. Resolves with its URL, the ids and `drop`.
 */
export async function createScratchDatabase({ prefix, accessType, hostname, tokenHash }) {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const drop = () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  try {
    execFileSync(process.execPath, [join(ROOT, 'apps', 'api', 'dist', 'database', 'migrate.js')], {
      env: { ...process.env, DATABASE_URL: databaseUrl, NODE_ENV: 'development' },
      stdio: 'ignore',
    });
    const ids = { user: randomUUID(), org: randomUUID(), project: randomUUID() };
    ids.service = randomUUID();
    const pool = new Pool({ connectionString: databaseUrl, max: 1 });
    try {
      await insertRows(pool, users, [{ id: ids.user, email: 'bench@example.com', name: 'Bench' }]);
      await insertRows(pool, organizations, [{ id: ids.org, name: 'bench' }]);
      await insertRows(pool, projects, [{ id: ids.project, org_id: ids.org, name: 'bench' }]);
      await insertRows(pool, services, [
        {
          id: ids.service,
          org_id: ids.org,
          project_id: ids.project,
          name: 'orders',
          access_type: accessType,
          hostname,
          token_hash: tokenHash,
          token_ciphertext: 'unused',
          created_by: ids.user,
        },
      ]);
    } finally {
      await pool.end();
    }
    return { databaseUrl, ids, drop };
  } catch (error) {
    await drop();
    throw error;
  }
}
