import { unlink } from 'node:fs/promises';
import { type Server, createServer } from 'node:net';

/** Listens on a unix socket, replacing a stale socket file a previous process left. */
export async function listenOnSocket(server: Server, path: string): Promise<void> {
  await unlink(path).catch(() => undefined);
  await listening(server, (done) => server.listen(path, done));
}

export async function listenOnPort(server: Server, port: number, host: string): Promise<void> {
  await listening(server, (done) => server.listen(port, host, done));
}

/** A port free a moment ago on `host`, for a process that cannot report the one it bound. */
export async function freePort(host: string): Promise<number> {
  const probe = createServer();
  await listenOnPort(probe, 0, host);
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port was bound');
  return address.port;
}

function listening(server: Server, listen: (done: () => void) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    listen(() => {
      server.off('error', reject);
      resolve();
    });
  });
}
