import { connect } from 'node:net';

const LOCAL_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    // Generous: a refused port answers at once, and a loaded machine may be slow to connect.
    socket.setTimeout(10_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Finds PostgreSQL once per run: TEST_DATABASE_URL, else the local default port. */
export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_DATABASE_URL) return;
  if (await reachable('127.0.0.1', 5432)) {
    process.env.TEST_DATABASE_URL = LOCAL_DATABASE_URL;
    return;
  }
  throw new Error(
    'The collector tests need PostgreSQL: set TEST_DATABASE_URL (postgres://…) or run it on 127.0.0.1:5432.',
  );
}
