import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEdge, type Edge } from '@slipway/edge';
import { type TestApp } from './test-app';

/**
 * The real edge (its agent in this process, its HAProxy a child) in front of the test app's
 * services: loopback, free ports, the app's database, Redis and secret key, and a run
 * directory of its own, removed on close. One HAProxy thread; keys trusted for the longest
 * time allowed, as a loaded machine may pause the agent.
 */
export async function startEdge(t: TestApp): Promise<Edge> {
  const runDir = await mkdtemp(join(tmpdir(), 'slp-dash-edge-'));
  const edge = await createEdge({
    env: {},
    overrides: {
      http: { port: 0, host: '127.0.0.1' },
      admin: { port: 0 },
      database: { url: t.config.database.url },
      redis: { url: t.config.redis.url },
      auth: { secretKey: t.config.secretKey },
      log: { level: 'silent' },
      keys: { trustForMs: 5000 },
      haproxy: { threads: 1, runDir },
    },
  });
  // A test process that ends without closing the edge must not leave HAProxy running.
  const pid = edge.haproxyPid();
  const killOrphan = (): void => {
    if (pid !== undefined && ownHaproxy(pid, runDir)) process.kill(pid, 'SIGKILL');
  };
  process.once('exit', killOrphan);
  return {
    ...edge,
    async close() {
      process.off('exit', killOrphan);
      await edge.close();
      await rm(runDir, { recursive: true, force: true });
    },
  };
}

/** Whether `pid` is still the HAProxy serving from `runDir` (a pid may have been reused). */
function ownHaproxy(pid: number, runDir: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(runDir);
  } catch {
    return false;
  }
}
