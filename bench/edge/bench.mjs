#!/usr/bin/env node
// Edge benchmark: the same 1 KiB upstream reached five ways on loopback, with keep-alive
// clients (wrk, or autocannon when wrk is not installed) at a fixed connection count.
//
//   direct:  the upstream itself (nginx `return 200` with a 1 KiB body, one worker)
//   nginx:   nginx `proxy_pass` with upstream keepalive, one worker, a buffered access log
//            (off with --no-nginx-access-log)
//   fastify: `@fastify/http-proxy` with Fastify's defaults (bench/edge/node-proxy.mjs)
//   floor:   the least a Node.js proxy does: node:http in, one undici Pool out, nothing else
//            (bench/edge/node-proxy.mjs); how far nginx is from any Node.js proxy here
//   edge:    apps/edge as its own process (the agent and its HAProxy, one thread), routing
//            by Host to a private service: every request carries an Access Key (checked by
//            HAProxy against its keyed hash), gets X-Forwarded-* and a request id, and is
//            written to access_logs and the metrics (the row count is printed at the end)
//
// Every target gets the same requests (Host and Authorization headers included) and runs in
// its own process; the load generator is another. Targets are interleaved, A B C D, A B C D,
// for --rounds rounds of --seconds each after one warm-up pass; the table shows the medians
// of req/s, p50, p99 and each target's own CPU time per request (Linux: utime + stime of its
// processes, steadier than req/s on a shared machine), and checks the goals: edge ≥ 0.7×
// nginx and ≥ 1.4× fastify req/s, and edge p99 within 1 ms of nginx's.
//
// Needs nginx (and preferably wrk) on PATH, PostgreSQL, Redis, and built packages
// (`npx turbo run build --filter=@slipway/api --filter=@slipway/edge`): the bench creates a
// scratch database, migrates it with the API's migrations, and drops it at the end. Not a
// test: run it by hand and read the numbers.
//
//   node bench/edge/bench.mjs [--rounds 3] [--seconds 10] [--connections 50] [--warmup 3]
//                             [--tool wrk|autocannon] [--no-nginx-access-log]
//                             [--profile DIR]  (writes <target>.cpuprofile of fastify and floor,
//                             edge/*.cpuprofile of the edge's supervisor and agent)
//                             [--targets direct,nginx,fastify,floor,edge]
//
// Env: BENCH_ADMIN_DATABASE_URL (postgres://postgres@127.0.0.1:5432/postgres), REDIS_URL
// (redis://127.0.0.1:6379).
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort } from '../support/ports.mjs';
import { createScratchDatabase } from '../support/scratch-database.mjs';

const ROOT = join(import.meta.dirname, '..', '..');
const require = createRequire(join(ROOT, 'apps', 'edge', 'package.json'));
const { Pool } = require('pg');
const { credentialHasher } = require('@slipway/contracts');
const { accessKeys, accessLogs, insertRows, serviceRoutes } = require('@slipway/db-schema');

const onPath = (command) => {
  try {
    execFileSync('which', [command], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    warmup: { type: 'string', default: '3' },
    tool: { type: 'string', default: onPath('wrk') ? 'wrk' : 'autocannon' },
    // A real deployment logs: nginx writes a buffered access log unless --no-nginx-access-log.
    'no-nginx-access-log': { type: 'boolean', default: false },
    profile: { type: 'string' },
    targets: { type: 'string', default: 'direct,nginx,fastify,floor,edge' },
  },
});
const ROUNDS = Number(values.rounds);
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);
const WARMUP = Number(values.warmup);
const TOOL = values.tool;
const TARGETS = values.targets.split(',');
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECRET_KEY = 'edge-bench-secret-key-at-least-32-characters';
const HOSTNAME = 'orders.bench.localhost';
const BODY = 'x'.repeat(1024);
const PORTS = Object.fromEntries(
  await Promise.all(
    ['upstream', 'nginx', 'fastify', 'floor', 'edge', 'edgeAdmin'].map(async (n) => [
      n,
      await freePort(),
    ]),
  ),
);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** A scratch database with one private service routed to the upstream, and an org key. */
async function seed() {
  const hash = credentialHasher(SECRET_KEY);
  const scratch = await createScratchDatabase({
    prefix: 'slipway_edge_bench',
    accessType: 'private',
    hostname: HOSTNAME,
    tokenHash: hash(`slp_st_${randomBytes(30).toString('base64url')}`),
  });
  const { org, user, service } = scratch.ids;
  const accessKey = `slp_ak_${randomBytes(30).toString('base64url')}`;
  const pool = new Pool({ connectionString: scratch.databaseUrl, max: 1 });
  try {
    await insertRows(pool, serviceRoutes, [
      {
        service_id: service,
        endpoints: [{ host: '127.0.0.1', port: PORTS.upstream }],
        version: '1',
      },
    ]);
    await insertRows(pool, accessKeys, [
      {
        org_id: org,
        project_id: null,
        name: 'bench',
        key_hash: hash(accessKey),
        last_four: accessKey.slice(-4),
        created_by: user,
      },
    ]);
  } catch (error) {
    await scratch.drop();
    throw error;
  } finally {
    await pool.end();
  }
  return { ...scratch, accessKey, service };
}

const NGINX_COMMON = `
worker_processes 1;
pid nginx.pid;
events { worker_connections 4096; }
`;

function upstreamConfig() {
  return `${NGINX_COMMON}
http {
  access_log off;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:${PORTS.upstream};
    location / { default_type text/plain; return 200 "${BODY}"; }
  }
}`;
}

/** The edge's work as nginx does it: strip Authorization, add X-Forwarded-* and a request id. */
function nginxConfig(dir) {
  const accessLog = !values['no-nginx-access-log']
    ? `access_log ${join(dir, 'access.log')} combined buffer=64k flush=1s;`
    : 'access_log off;';
  return `${NGINX_COMMON}
http {
  ${accessLog}
  keepalive_requests 1000000;
  upstream app {
    server 127.0.0.1:${PORTS.upstream};
    keepalive 64;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:${PORTS.nginx};
    location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header Authorization "";
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-Host $host;
      proxy_set_header X-Request-Id $request_id;
    }
  }
}`;
}

function startNginx(dir, name, config) {
  const prefix = mkdtempSync(join(dir, `${name}-`));
  writeFileSync(join(prefix, 'nginx.conf'), config);
  return spawn('nginx', ['-p', prefix, '-c', 'nginx.conf', '-e', 'stderr', '-g', 'daemon off;'], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

/** node's flags to write the target's CPU profile, when asked for. */
function profileFlags(target) {
  const dir = values.profile;
  if (!dir) return [];
  // The edge's supervisor passes its flags to the agent: each gets Node's own file name.
  if (target === 'edge') return ['--cpu-prof', `--cpu-prof-dir=${join(dir, 'edge')}`];
  return ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${target}.cpuprofile`];
}

function startEdge(databaseUrl, runDir) {
  return spawn(
    process.execPath,
    [...profileFlags('edge'), join(ROOT, 'apps', 'edge', 'dist', 'main.js')],
    {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        EDGE_PORT: String(PORTS.edge),
        EDGE_ADMIN_PORT: String(PORTS.edgeAdmin),
        DATABASE_URL: databaseUrl,
        REDIS_URL,
        SLIPWAY_SECRET_KEY: SECRET_KEY,
        // One HAProxy thread against one nginx worker: like for like.
        SLIPWAY_EDGE_THREADS: '1',
        SLIPWAY_EDGE_RUN_DIR: runDir,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
}

/** One of the Node.js baselines of node-proxy.mjs (fastify, floor) as its own process. */
function startNodeProxy(proxy, port) {
  return spawn(
    process.execPath,
    [
      ...profileFlags(proxy),
      join(import.meta.dirname, 'node-proxy.mjs'),
      '--proxy',
      proxy,
      '--port',
      String(port),
      '--upstream',
      `http://127.0.0.1:${PORTS.upstream}`,
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
}

async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** One GET with exactly these headers (fetch would not send our Host). */
function get(url, headers) {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** Waits until `url` answers `expected` (the edge also needs its routes loaded). */
async function waitFor(url, headers, expected = 200) {
  let last = 'no answer';
  for (let i = 0; i < 100; i++) {
    try {
      const { status, body } = await get(url, headers);
      if (status === expected) return body;
      last = `${status} ${body.slice(0, 200)}`;
    } catch (error) {
      last = error.message;
    }
    await sleep(100);
  }
  throw new Error(`${url} did not answer ${expected}: ${last}`);
}

// wrk reports through a Lua hook so nothing has to be parsed out of its human output.
const WRK_REPORT = `
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"durationUs":%d,"p50Us":%.0f,"p99Us":%.0f,"errors":%d,"non2xx":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end
`;

function load(tool, url, headers, seconds, dir) {
  const headerArgs = Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]);
  if (tool === 'wrk') {
    const script = join(dir, 'report.lua');
    writeFileSync(script, WRK_REPORT);
    const args = ['-t', '1', '-c', String(CONNECTIONS), '-d', `${seconds}s`, '-s', script];
    const out = execFileSync('wrk', [...args, ...headerArgs, url], { encoding: 'utf8' });
    const r = JSON.parse(out.trim().split('\n').at(-1));
    return {
      rps: r.requests / (r.durationUs / 1e6),
      p50: r.p50Us / 1000,
      p99: r.p99Us / 1000,
      failed: r.errors + r.non2xx,
    };
  }
  const bin = join(require.resolve('autocannon/package.json'), '..', 'autocannon.js');
  const args = ['-c', String(CONNECTIONS), '-d', String(seconds), '-j', ...headerArgs, url];
  const r = JSON.parse(execFileSync(process.execPath, [bin, ...args], { encoding: 'utf8' }));
  return {
    rps: r.requests.total / r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    failed: r.errors + r.timeouts + r.non2xx,
  };
}

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
  } catch {
    return 100;
  }
})();

/** CPU seconds a process and its descendants have used (Linux /proc; NaN elsewhere). */
function cpuSeconds(pid, { only } = {}) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const used = (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS; // utime + stime
    const own = only === undefined || only === command ? used : 0;
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ');
    return children.filter(Boolean).reduce((sum, child) => sum + cpuSeconds(child, { only }), own);
  } catch {
    return Number.NaN;
  }
}

const fmt = (n, digits) => n.toFixed(digits).padStart(10);

async function main() {
  const { databaseUrl, drop, accessKey, service } = await seed();
  const dir = mkdtempSync(join(tmpdir(), 'slipway-edge-bench-'));
  const children = [];
  try {
    const processes = {
      direct: startNginx(dir, 'upstream', upstreamConfig()),
      nginx: startNginx(dir, 'nginx', nginxConfig(dir)),
      fastify: startNodeProxy('fastify', PORTS.fastify),
      floor: startNodeProxy('floor', PORTS.floor),
      edge: startEdge(databaseUrl, join(dir, 'edge-run')),
    };
    children.push(...Object.values(processes));

    const headers = { Host: HOSTNAME, Authorization: `Bearer ${accessKey}` };
    const targets = [
      ['direct', PORTS.upstream],
      ['nginx', PORTS.nginx],
      ['fastify', PORTS.fastify],
      ['floor', PORTS.floor],
      ['edge', PORTS.edge],
    ]
      .filter(([target]) => TARGETS.includes(target))
      .map(([target, port]) => ({
        target,
        url: `http://127.0.0.1:${port}/`,
        pid: processes[target].pid,
      }));
    for (const { target, url: targetUrl } of targets) {
      const body = await waitFor(targetUrl, headers);
      if (body !== BODY) throw new Error(`${target} answered ${body.length} bytes, not 1 KiB`);
    }
    // Auth really is on: the same request without the key is refused.
    await waitFor(`http://127.0.0.1:${PORTS.edge}/`, { Host: HOSTNAME }, 401);

    console.log(
      `${TOOL}, ${CONNECTIONS} connections, ${ROUNDS} rounds × ${SECONDS} s per target ` +
        `(after a ${WARMUP} s warm-up each), ${availableParallelism()} CPUs, ` +
        `nginx access_log ${!values['no-nginx-access-log'] ? 'on (buffered file)' : 'off'}`,
    );
    if (WARMUP > 0) for (const t of targets) load(TOOL, t.url, headers, WARMUP, dir);
    const results = new Map(targets.map((t) => [t.target, []]));
    for (let round = 1; round <= ROUNDS; round++) {
      const line = [`round ${round}:`];
      for (const t of targets) {
        const cpuBefore = cpuSeconds(t.pid);
        const haproxyBefore = cpuSeconds(t.pid, { only: 'haproxy' });
        const r = load(TOOL, t.url, headers, SECONDS, dir);
        // The target's own CPU per request: steadier than req/s on a shared machine.
        const perRequest = (seconds) => (seconds / (r.rps * SECONDS)) * 1e6;
        r.cpuUs = perRequest(cpuSeconds(t.pid) - cpuBefore);
        // The edge's split: HAProxy and its agent (Node.js: access log, rollups).
        r.haproxyCpuUs = perRequest(cpuSeconds(t.pid, { only: 'haproxy' }) - haproxyBefore);
        results.get(t.target).push(r);
        line.push(`${t.target} ${r.rps.toFixed(0)} req/s p99 ${r.p99.toFixed(2)} ms`);
        if (r.failed > 0) line.push(`(${r.failed} failed)`);
      }
      console.log(line.join('  '));
    }

    console.log(
      `\n${'target'.padEnd(8)}${'req/s'.padStart(10)}${'p50 ms'.padStart(10)}${'p99 ms'.padStart(10)}${'cpu µs/req'.padStart(12)}`,
    );
    const summary = {};
    for (const [target, rs] of results) {
      summary[target] = {
        rps: median(rs.map((r) => r.rps)),
        p50: median(rs.map((r) => r.p50)),
        p99: median(rs.map((r) => r.p99)),
        cpuUs: median(rs.map((r) => r.cpuUs)),
      };
      const s = summary[target];
      console.log(
        `${target.padEnd(8)}${fmt(s.rps, 0)}${fmt(s.p50, 2)}${fmt(s.p99, 2)}${fmt(s.cpuUs, 1).padStart(12)}`,
      );
    }
    const { edge, nginx, fastify, floor } = summary;
    if (edge) {
      const haproxyCpuUs = median(results.get('edge').map((r) => r.haproxyCpuUs));
      console.log(
        `edge cpu µs/req: HAProxy ${haproxyCpuUs.toFixed(1)}, agent ${(edge.cpuUs - haproxyCpuUs).toFixed(1)}`,
      );
    }
    const verdict = (ok) => (ok ? 'met' : 'MISSED');
    const ratio = (name, value, goal) =>
      console.log(
        `${name.padEnd(20)}${value.toFixed(2)}${goal ? `  (goal ${goal[0]}: ${verdict(goal[1])})` : ''}`,
      );
    console.log('');
    if (edge && nginx) {
      const toNginx = edge.rps / nginx.rps;
      ratio('edge/nginx req/s', toNginx, ['≥ 0.70', toNginx >= 0.7]);
      const gap = edge.p99 - nginx.p99;
      console.log(
        `${'edge p99 − nginx'.padEnd(20)}${gap >= 0 ? '+' : ''}${gap.toFixed(2)} ms (goal ≤ 1 ms: ${verdict(gap <= 1)})`,
      );
    }
    if (edge && fastify) {
      const toFastify = edge.rps / fastify.rps;
      ratio('edge/fastify req/s', toFastify, ['≥ 1.40', toFastify >= 1.4]);
    }
    // Context for the goals: how far the edge is from the cheapest Node.js proxy, and how far
    // that one is from nginx on this machine.
    if (edge && floor) ratio('edge/floor req/s', edge.rps / floor.rps);
    if (floor && nginx) ratio('floor/nginx req/s', floor.rps / nginx.rps);

    // What the edge recorded while serving: its metrics, and its access log when it has one
    // (given up to 15 s for the lines still in HAProxy's ring and the last batch to land).
    const pool = new Pool({ connectionString: databaseUrl, max: 1 });
    let counted = 0;
    let logged = 0;
    let dropped = 0;
    let failedWrites = 0;
    for (const deadline = Date.now() + 15_000; Date.now() < deadline;) {
      await sleep(1000);
      const metrics = await (await fetch(`http://127.0.0.1:${PORTS.edgeAdmin}/metrics`)).text();
      const samples = metrics.split('\n');
      const sum = (matches) =>
        samples.filter(matches).reduce((total, l) => total + Number(l.split(' ').at(-1)), 0);
      const nowCounted = sum(
        (l) => l.startsWith('slipway_edge_requests_total{') && l.includes(service),
      );
      dropped = sum((l) => l.startsWith('slipway_edge_access_log_dropped_total '));
      failedWrites = sum((l) =>
        l.startsWith('slipway_edge_telemetry_write_failures_total{table="access_logs"}'),
      );
      const { rows } = await pool.query(`SELECT count(*) AS n FROM ${accessLogs.name}`);
      const settled = nowCounted === counted && Number(rows[0].n) === logged;
      [counted, logged] = [nowCounted, Number(rows[0].n)];
      if (settled && counted === logged) break;
    }
    await pool.end();
    console.log(
      `edge recorded: ${counted} requests in slipway_edge_requests_total, ${logged} access-log rows` +
        ` (${dropped} dropped from a full buffer, ${failedWrites} failed writes retried)`,
    );
  } finally {
    for (const child of children.reverse()) await stop(child);
    rmSync(dir, { recursive: true, force: true });
    await drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
