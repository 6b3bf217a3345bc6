import { connect } from 'node:net';

/**
 * Where the integration tests find PostgreSQL and Redis: TEST_DATABASE_URL / TEST_REDIS_URL,
 * else the default local ports, else containers started by the global setup when a Docker
 * Engine is reachable. Otherwise the run stops with a message saying what it needs.
 */
export const LOCAL_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const LOCAL_REDIS_URL = 'redis://127.0.0.1:6379';

/** Whether something listens there. Generous: a refused port answers at once anyway. */
export function reachable(host: string, port: number, timeoutMs = 10_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export function testInfraFromEnv(): { databaseUrl: string; redisUrl: string } {
  const databaseUrl = process.env.TEST_DATABASE_URL;
  const redisUrl = process.env.TEST_REDIS_URL;
  if (!databaseUrl || !redisUrl) {
    throw new Error(
      'TEST_DATABASE_URL and TEST_REDIS_URL are not set: run the tests through jest so its global setup finds them',
    );
  }
  return { databaseUrl, redisUrl };
}
