#!/usr/bin/env node
// Collector benchmark: OTLP/HTTP export throughput against writing the same rows straight
// into PostgreSQL.
//
//   collector: N concurrent senders POST pre-encoded protobuf batches of 512 spans (fresh
//              ids every request) to a collector child process for a fixed time; accepted
//              spans/s and request latency (p50/p99)
//   baselines: the rows those batches become, written straight to the same table for the
//              same time: a plain COPY (CSV, 10,000 rows per COPY, one connection) and the
//              collector's own multi-row INSERT (unnest, 1000 rows, 4 connections); rows/s
//
// Needs PostgreSQL and built packages (`npx turbo run build --filter=@slipway/collector
// --filter=@slipway/api`): the bench creates a scratch database, migrates it with the API's
// migrations, and drops it at the end. Not a test: run it by hand and read the numbers.
//
//   node bench/collector/bench.mjs [--senders 8] [--seconds 10]
//
// Env: BENCH_ADMIN_DATABASE_URL (postgres://postgres@127.0.0.1:5432/postgres).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createScratchDatabase } from '../support/scratch-database.mjs';

const ROOT = join(import.meta.dirname, '..', '..');
const require = createRequire(join(ROOT, 'apps', 'collector', 'package.json'));
const { Client, Pool } = require('pg');
const { from: copyFrom } = require('pg-copy-streams');
const { credentialHasher } = require('@slipway/contracts');
const { spans } = require('@slipway/db-schema');
const { SPAN_COLUMNS, insertSpanRows, toSpanRows } = require(
  join(ROOT, 'apps', 'collector', 'dist', 'index.js'),
);
const generated = require('@opentelemetry/otlp-transformer/build/src/generated/root');

const { values } = parseArgs({
  options: {
    senders: { type: 'string', default: '8' },
    seconds: { type: 'string', default: '10' },
  },
});
const SENDERS = Number(values.senders);
const SECONDS = Number(values.seconds);
const SPANS_PER_REQUEST = 512;
const SECRET_KEY = 'collector-bench-secret-key-at-least-32-chars';
const PORT = 14318 + Math.floor(Math.random() * 1000);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * p)];

/** A request of 512 spans like an instrumented web app's: a few attributes, some events. */
function template() {
  const now = BigInt(Date.now()) * 1_000_000n;
  const attr = (key, value) => ({ key, value });
  const spans = Array.from({ length: SPANS_PER_REQUEST }, (_, i) => ({
    traceId: randomBytes(16),
    spanId: randomBytes(8),
    parentSpanId: i % 8 === 0 ? Buffer.alloc(0) : randomBytes(8),
    name: i % 8 === 0 ? 'GET /api/orders/:id' : `SELECT orders ${i % 8}`,
    kind: i % 8 === 0 ? 2 : 3,
    startTimeUnixNano: (now + BigInt(i) * 1000n).toString(),
    endTimeUnixNano: (now + BigInt(i) * 1000n + 1_234_567n).toString(),
    attributes: [
      attr('http.method', { stringValue: 'GET' }),
      attr('http.route', { stringValue: '/api/orders/:id' }),
      attr('http.status_code', { intValue: 200 }),
      attr('db.statement', { stringValue: 'SELECT * FROM orders WHERE id = $1' }),
    ],
    events: i % 4 === 0 ? [{ timeUnixNano: now.toString(), name: 'cache miss' }] : [],
    status: { code: i % 50 === 0 ? 2 : 0 },
  }));
  const message = {
    resourceSpans: [
      {
        resource: {
          attributes: [
            attr('service.name', { stringValue: 'orders' }),
            attr('telemetry.sdk.language', { stringValue: 'nodejs' }),
          ],
        },
        scopeSpans: [{ scope: { name: 'bench' }, spans }],
      },
    ],
  };
  const messages = generated.opentelemetry.proto.collector.trace.v1;
  const body = Buffer.from(
    messages.ExportTraceServiceRequest.encode(
      messages.ExportTraceServiceRequest.fromObject(message),
    ).finish(),
  );
  // Where each trace id sits, so every request can get fresh ids by rewriting bytes.
  const offsets = spans.map((s) => body.indexOf(s.traceId));
  return { body, offsets };
}

let sequence = 0;
/** A copy of the template whose trace ids (hence primary keys) were never sent before. */
function freshBody({ body, offsets }) {
  const copy = Buffer.from(body);
  const prefix = randomBytes(4);
  sequence++;
  for (const offset of offsets) {
    prefix.copy(copy, offset);
    copy.writeUInt32BE(sequence, offset + 4);
  }
  return copy;
}

function post(agent, body, token) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = request(
      {
        host: '127.0.0.1',
        port: PORT,
        path: '/v1/traces',
        method: 'POST',
        agent,
        headers: {
          'Content-Type': 'application/x-protobuf',
          'Content-Length': body.length,
          Authorization: `Bearer ${token}`,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({
            status: res.statusCode,
            ms: Number(process.hrtime.bigint() - started) / 1e6,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function waitReady() {
  for (let i = 0; i < 100; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${PORT}/readyz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error('the collector did not become ready');
}

async function benchCollector(databaseUrl, token, tpl) {
  const child = spawn(process.execPath, [join(ROOT, 'apps', 'collector', 'dist', 'main.js')], {
    env: {
      ...process.env,
      COLLECTOR_PORT: String(PORT),
      DATABASE_URL: databaseUrl,
      SLIPWAY_SECRET_KEY: SECRET_KEY,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  try {
    await waitReady();
    const agent = new Agent({ keepAlive: true, maxSockets: SENDERS });
    const latencies = [];
    const statuses = new Map();
    let accepted = 0;
    const deadline = Date.now() + SECONDS * 1000;
    const started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: SENDERS }, async () => {
        while (Date.now() < deadline) {
          const { status, ms } = await post(agent, freshBody(tpl), token);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          latencies.push(ms);
          if (status === 200) accepted += SPANS_PER_REQUEST;
          else if (status === 429 || status === 503) await sleep(50);
        }
      }),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    agent.destroy();
    return {
      spansPerSecond: accepted / seconds,
      p50: percentile(latencies, 0.5),
      p99: percentile(latencies, 0.99),
      requests: latencies.length,
      statuses: Object.fromEntries(statuses),
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

// The collector's own column order and statement, so the baselines write exactly its rows.
const FIELDS = SPAN_COLUMNS.map(([field]) => field);
const COLUMNS = SPAN_COLUMNS.map(([, column]) => column).join(', ');

/**
 * The same rows, written straight to the table with the same statement: no HTTP, no
 * decoding (rows are converted once, outside the timed loop; only their trace ids change).
 */
async function benchBaseline(databaseUrl, serviceId, tpl) {
  const messages = generated.opentelemetry.proto.collector.trace.v1;
  const converted = toSpanRows(messages.ExportTraceServiceRequest.decode(tpl.body), serviceId).rows;
  const template = [...converted, ...converted].slice(0, 1000);
  const pool = new Pool({ connectionString: databaseUrl, max: 4 });
  let inserted = 0;
  let batch = 0;
  const deadline = Date.now() + SECONDS * 1000;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (Date.now() < deadline) {
        const prefix = (++batch).toString(16).padStart(8, '0');
        const rows = template.map((r, i) => ({
          ...r,
          traceId: prefix + i.toString(16).padStart(4, '0') + r.traceId.slice(12),
        }));
        await insertSpanRows(pool, rows);
        inserted += template.length;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await pool.end();
  return { rowsPerSecond: inserted / seconds };
}

/** One CSV field: quoted, quotes doubled; null stays an unquoted empty field (NULL). */
function csvField(value) {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return `"${text.replaceAll('"', '""')}"`;
}

/** The same rows through a plain COPY on one connection: the database's own fast path. */
async function benchCopy(databaseUrl, serviceId, tpl) {
  const messages = generated.opentelemetry.proto.collector.trace.v1;
  const converted = toSpanRows(messages.ExportTraceServiceRequest.decode(tpl.body), serviceId).rows;
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  const rowsPerCopy = 10_000;
  let copied = 0;
  let batch = 0;
  const deadline = Date.now() + SECONDS * 1000;
  const started = process.hrtime.bigint();
  while (Date.now() < deadline) {
    const prefix = (++batch).toString(16).padStart(8, '0');
    const lines = [];
    for (let i = 0; i < rowsPerCopy; i += 1) {
      const row = converted[i % converted.length];
      const traceId = prefix + i.toString(16).padStart(6, '0') + row.traceId.slice(14);
      lines.push(
        FIELDS.map((field) => csvField(field === 'traceId' ? traceId : row[field])).join(','),
      );
    }
    const stream = client.query(
      copyFrom(`COPY ${spans.name} (${COLUMNS}) FROM STDIN WITH (FORMAT csv)`),
    );
    await new Promise((resolve, reject) => {
      stream.on('finish', resolve);
      stream.on('error', reject);
      stream.end(`${lines.join('\n')}\n`);
    });
    copied += rowsPerCopy;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await client.end();
  return { rowsPerSecond: copied / seconds };
}

async function main() {
  const token = `slp_st_${randomBytes(30).toString('base64url')}`;
  const { databaseUrl, ids, drop } = await createScratchDatabase({
    prefix: 'slipway_collector_bench',
    accessType: 'private',
    hostname: 'orders.localhost',
    tokenHash: credentialHasher(SECRET_KEY)(token),
  });
  const { service } = ids;
  try {
    const pool = new Pool({ connectionString: databaseUrl, max: 1 });
    const tpl = template();
    console.log(
      `${SENDERS} senders, ${SECONDS} s, ${SPANS_PER_REQUEST} spans/request (${(tpl.body.length / 1024).toFixed(0)} KiB protobuf)`,
    );

    const collector = await benchCollector(databaseUrl, token, tpl);
    const stored = Number((await pool.query(`SELECT count(*) AS n FROM ${spans.name}`)).rows[0].n);
    await pool.query(`TRUNCATE ${spans.name}`);
    const baseline = await benchBaseline(databaseUrl, service, tpl);
    await pool.query('TRUNCATE spans');
    const copy = await benchCopy(databaseUrl, service, tpl);
    await pool.end();

    console.log(
      `collector: ${collector.spansPerSecond.toFixed(0)} spans/s accepted, ` +
        `p50 ${collector.p50.toFixed(1)} ms, p99 ${collector.p99.toFixed(1)} ms, ` +
        `${collector.requests} requests ${JSON.stringify(collector.statuses)}, ${stored} rows stored`,
    );
    console.log(
      `COPY:      ${copy.rowsPerSecond.toFixed(0)} rows/s (CSV, 10000 rows per COPY, 1 connection)`,
    );
    console.log(
      `INSERT:    ${baseline.rowsPerSecond.toFixed(0)} rows/s (multi-row INSERT, 1000 rows, 4 connections)`,
    );
    console.log(
      `ratio:     ${(collector.spansPerSecond / copy.rowsPerSecond).toFixed(2)} of COPY, ` +
        `${(collector.spansPerSecond / baseline.rowsPerSecond).toFixed(2)} of INSERT (goal: ≥ 20000 spans/s, 0 lost)`,
    );
  } finally {
    await drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
