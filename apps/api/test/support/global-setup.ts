import { execFileSync } from 'node:child_process';
import { LOCAL_DATABASE_URL, LOCAL_REDIS_URL, reachable } from './test-infra';

interface StartedContainer {
  stop(): Promise<unknown>;
}
const started: StartedContainer[] = [];

function dockerReachable(): boolean {
  try {
    // Generous: a busy engine (a CI run, other tests) may take seconds to answer.
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

/** Resolves PostgreSQL and Redis once per run and hands their URLs to every test worker. */
export default async function globalSetup(): Promise<void> {
  if (!process.env.TEST_DATABASE_URL && (await reachable('127.0.0.1', 5432))) {
    process.env.TEST_DATABASE_URL = LOCAL_DATABASE_URL;
  }
  if (!process.env.TEST_REDIS_URL && (await reachable('127.0.0.1', 6379))) {
    process.env.TEST_REDIS_URL = LOCAL_REDIS_URL;
  }
  if (process.env.TEST_DATABASE_URL && process.env.TEST_REDIS_URL) return;

  if (!dockerReachable()) {
    throw new Error(
      'The API tests need PostgreSQL and Redis. Set TEST_DATABASE_URL (postgres://…) and TEST_REDIS_URL (redis://…), ' +
        'run them on 127.0.0.1:5432 and 127.0.0.1:6379, or make a Docker Engine reachable so the tests can start them.',
    );
  }
  if (!process.env.TEST_DATABASE_URL) {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const postgres = await new PostgreSqlContainer('postgres:15-alpine').start();
    started.push(postgres);
    process.env.TEST_DATABASE_URL = postgres.getConnectionUri();
  }
  if (!process.env.TEST_REDIS_URL) {
    const { RedisContainer } = await import('@testcontainers/redis');
    const redis = await new RedisContainer('redis:7-alpine').start();
    started.push(redis);
    process.env.TEST_REDIS_URL = redis.getConnectionUrl();
  }
  (globalThis as { __slipwayContainers?: StartedContainer[] }).__slipwayContainers = started;
}
