#!/usr/bin/env node
// Edge at scale: 10,000 routes and 100,000 Access Keys in PostgreSQL, the edge (agent and
// HAProxy) started against them. Prints how long the edge takes to serve, its memory, how
// soon a new route serves after its message, how soon a revoked key is refused (with the
// API's Redis message, and by the agent's polling alone), and what an agent crash (kill -9
// under load) costs: the supervisor restarts it and it adopts the running HAProxy.
//
// Needs PostgreSQL, Redis and built packages (`npx turbo run build --filter=@slipway/api
// --filter=@slipway/edge`). Not a test: run it by hand and read the numbers.
//
//   node bench/edge/scale.mjs [--routes 10000] [--keys 100000] [--samples 20]
//
// Env: BENCH_ADMIN_DATABASE_URL (postgres://postgres@127.0.0.1:5432/postgres), REDIS_URL.
import { spawn } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort } from '../support/ports.mjs';
import { createScratchDatabase } from '../support/scratch-database.mjs';

const ROOT = join(import.meta.dirname, '..', '..');
const require = createRequire(join(ROOT, 'apps', 'edge', 'package.json'));
const { Pool } = require('pg');
const Redis = require('ioredis');
const { CHANNELS, credentialHasher } = require('@slipway/contracts');
const { accessKeys, insertRows, names, serviceRoutes, services } = require('@slipway/db-schema');
const k = names(accessKeys);
const REVOKE_KEY = `UPDATE ${accessKeys.name} SET ${k.revoked_at} = now() WHERE ${k.id} = $1`;

const { values } = parseArgs({
  options: {
    routes: { type: 'string', default: '10000' },
    keys: { type: 'string', default: '100000' },
    samples: { type: 'string', default: '20' },
  },
});
const ROUTES = Number(values.routes);
const KEYS = Number(values.keys);
const SAMPLES = Number(values.samples);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECRET_KEY = 'edge-scale-secret-key-at-least-32-characters';
const DOMAIN = 'scale.localhost';
const hash = credentialHasher(SECRET_KEY);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** One request to the edge: its status (0 when the connection failed). */
function status(port, host, key) {
  return new Promise((resolve) => {
    const headers = { Host: host, ...(key ? { Authorization: `Bearer ${key}` } : {}) };
    const req = request({ host: '127.0.0.1', port, path: '/', headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end();
  });
}

/** Milliseconds until `check` holds, polling every 2 ms (bounded). */
async function timeUntil(check, timeoutMs = 10_000) {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > timeoutMs) return Number.POSITIVE_INFINITY;
    await sleep(2);
  }
  return performance.now() - started;
}

function readyz(port) {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/readyz', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end();
  });
}

/** RSS of the agent and of the HAProxy it started. */
function memory(agent) {
  const haproxy = childPids(agent).map((pid) => rssMb(pid).toFixed(0));
  return `agent ${rssMb(agent).toFixed(0)} MiB RSS, HAProxy ${haproxy.join('+')} MiB RSS`;
}

function rssMb(pid) {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
    return line ? Number(line[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

function childPids(pid) {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean);
  } catch {
    return [];
  }
}

const summary = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  return `p50 ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms, max ${sorted.at(-1).toFixed(1)} ms`;
};

async function main() {
  const upstream = createServer((_req, res) => res.end('ok'));
  const upstreamPort = await freePort();
  upstream.listen(upstreamPort, '127.0.0.1');
  const [edgePort, adminPort] = [await freePort(), await freePort()];
  const scratch = await createScratchDatabase({
    prefix: 'slipway_edge_scale',
    accessType: 'private',
    hostname: `orders.${DOMAIN}`,
    tokenHash: hash(randomUUID()),
  });
  const { org, project, user } = scratch.ids;
  const pool = new Pool({ connectionString: scratch.databaseUrl, max: 2 });
  const redis = new Redis(REDIS_URL);
  const runDir = mkdtempSync(join(tmpdir(), 'slipway-edge-scale-'));
  let edge;
  try {
    const endpoints = [{ host: '127.0.0.1', port: upstreamPort }];
    const sha256 = (text) => createHash('sha256').update(text).digest('hex');
    const numbered = (count) => Array.from({ length: count }, (_, i) => i + 1);
    let seeded = performance.now();
    const created = await insertRows(
      pool,
      services,
      numbered(ROUTES).map((i) => ({
        org_id: org,
        project_id: project,
        name: `svc-${i}`,
        access_type: 'private',
        hostname: `svc-${i}.${DOMAIN}`,
        token_hash: sha256(`token-${i}`),
        token_ciphertext: 'unused',
        created_by: user,
      })),
    );
    await insertRows(
      pool,
      serviceRoutes,
      created.map((row) => ({ service_id: row.id, endpoints, version: '1' })),
    );
    await insertRows(
      pool,
      accessKeys,
      numbered(KEYS).map((i) => ({
        org_id: org,
        project_id: null,
        name: `k${i}`,
        key_hash: sha256(`key-${i}`),
        last_four: 'xxxx',
        created_by: user,
      })),
    );
    seeded = performance.now() - seeded;
    console.log(`seeded ${ROUTES} routes and ${KEYS} keys in ${(seeded / 1000).toFixed(1)} s`);

    const startedAt = performance.now();
    edge = spawn(process.execPath, [join(ROOT, 'apps', 'edge', 'dist', 'main.js')], {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        EDGE_PORT: String(edgePort),
        EDGE_ADMIN_PORT: String(adminPort),
        DATABASE_URL: scratch.databaseUrl,
        REDIS_URL,
        SLIPWAY_SECRET_KEY: SECRET_KEY,
        SLIPWAY_EDGE_RUN_DIR: runDir,
        SLIPWAY_EDGE_THREADS: '1',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const key = `slp_ak_${randomBytes(30).toString('base64url')}`;
    await insertRows(pool, accessKeys, [
      {
        org_id: org,
        project_id: null,
        name: 'probe',
        key_hash: hash(key),
        last_four: 'xxxx',
        created_by: user,
      },
    ]);
    const host = `svc-${ROUTES}.${DOMAIN}`;
    const ready = await timeUntil(async () => (await status(edgePort, host, key)) === 200, 120_000);
    console.log(
      `edge serving ${ROUTES} routes and ${KEYS} keys ${(ready / 1000).toFixed(2)} s after start`,
    );
    for (let i = 0; i < 20; i += 1) await status(edgePort, host, key);
    // The edge process is the supervisor; its child the agent; the agent's child HAProxy.
    console.log(`memory: ${memory(childPids(edge.pid)[0])}`);

    // A route: a new service and its route stored, then announced as the API does.
    const routeMs = [];
    const routeHostSuffix = `${randomBytes(3).toString('hex')}.${DOMAIN}`;
    for (let i = 0; i < SAMPLES; i += 1) {
      const id = randomUUID();
      const hostname = `new-${i}-${routeHostSuffix}`;
      await insertRows(pool, services, [
        {
          id,
          org_id: org,
          project_id: project,
          name: `new-${i}-${id.slice(0, 6)}`,
          access_type: 'public',
          hostname,
          token_hash: hash(id),
          token_ciphertext: 'unused',
          created_by: user,
        },
      ]);
      await insertRows(pool, serviceRoutes, [
        { service_id: id, endpoints, version: String(Date.now()) },
      ]);
      const published = redis.publish(
        CHANNELS.routes,
        JSON.stringify({
          type: 'upsert',
          serviceId: id,
          orgId: org,
          projectId: project,
          hostnames: [hostname],
          accessType: 'public',
          endpoints: [{ host: '127.0.0.1', port: upstreamPort }],
          deployed: true,
          version: Date.now(),
        }),
      );
      routeMs.push(await timeUntil(async () => (await status(edgePort, hostname)) === 200));
      if (process.env.BENCH_DEBUG && routeMs.at(-1) === Number.POSITIVE_INFINITY) {
        console.log('stuck', hostname, await status(edgePort, hostname));
      }
      await published;
    }
    console.log(`new route serving after its message: ${summary(routeMs)}`);
    if (process.env.BENCH_DEBUG) console.log(routeMs.map((ms) => ms.toFixed(0)).join(' '));

    // A revocation, announced (as the API does) and not (a lost message: polling alone).
    for (const announced of [true, false]) {
      const revokeMs = [];
      for (let i = 0; i < SAMPLES; i += 1) {
        const probe = `slp_ak_${randomBytes(30).toString('base64url')}`;
        const rows = await insertRows(pool, accessKeys, [
          {
            org_id: org,
            project_id: null,
            name: 'revoke-me',
            key_hash: hash(probe),
            last_four: 'xxxx',
            created_by: user,
          },
        ]);
        await timeUntil(async () => (await status(edgePort, host, probe)) === 200);
        await pool.query(REVOKE_KEY, [rows[0].id]);
        if (announced) {
          await redis.publish(
            CHANNELS.accessKeyRevocations,
            JSON.stringify({ id: rows[0].id, at: new Date().toISOString() }),
          );
        }
        revokeMs.push(await timeUntil(async () => (await status(edgePort, host, probe)) === 401));
      }
      console.log(
        `revoked key refused ${announced ? 'with the message' : 'by polling alone'}: ${summary(revokeMs)}`,
      );
    }
    const [agent] = childPids(edge.pid);
    console.log(`memory after: ${memory(agent)}`);

    // An agent crash: kill -9 mid-load; the supervisor restarts it and it adopts HAProxy.
    const publicHost = `new-0-${routeHostSuffix}`;
    let running = true;
    let sent = 0;
    let failed = 0;
    const loop = (async () => {
      while (running) {
        sent += 1;
        if ((await status(edgePort, publicHost)) !== 200) failed += 1;
      }
    })();
    await sleep(500);
    process.kill(Number(agent), 'SIGKILL');
    const back = await timeUntil(async () => {
      const [next] = childPids(edge.pid);
      return next !== undefined && next !== agent && (await readyz(adminPort)) === 200;
    }, 30_000);
    await sleep(1000);
    running = false;
    await loop;
    console.log(
      `agent killed (-9) under load: ${sent} requests, ${failed} failed; the next agent ready ${(back / 1000).toFixed(2)} s later`,
    );
  } finally {
    if (edge) {
      const exited = new Promise((resolve) => edge.once('exit', resolve));
      edge.kill('SIGTERM');
      await exited;
    }
    redis.disconnect();
    await pool.end();
    upstream.close();
    await scratch.drop();
    rmSync(runDir, { recursive: true, force: true });
  }
}

await main();
