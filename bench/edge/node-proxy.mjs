#!/usr/bin/env node
// The Node.js baselines of bench/edge/bench.mjs, each run there as its own process:
//
//   --proxy fastify  `@fastify/http-proxy` with Fastify's defaults (undici pool, no logging)
//   --proxy floor    the least a Node.js proxy does on this machine: node:http in, one undici
//                    Pool out, headers passed on and relayed, no routing, auth, access logs or
//                    metrics. The edge cannot be faster than this, so its distance from here
//                    is the cost of what it adds.
//
//   node bench/edge/node-proxy.mjs --proxy floor --port 9002 --upstream http://127.0.0.1:9000
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const require = createRequire(
  join(import.meta.dirname, '..', '..', 'apps', 'edge', 'package.json'),
);

const { values } = parseArgs({
  options: {
    proxy: { type: 'string' },
    port: { type: 'string' },
    upstream: { type: 'string' },
  },
});
if (!values.port || !values.upstream || !['fastify', 'floor'].includes(values.proxy ?? '')) {
  throw new Error('--proxy fastify|floor, --port and --upstream are required');
}
const port = Number(values.port);

async function startFastify() {
  const Fastify = require('fastify');
  const app = Fastify({ logger: false });
  await app.register(require('@fastify/http-proxy'), { upstream: values.upstream });
  await app.listen({ port, host: '127.0.0.1' });
  return () => app.close();
}

function startFloor() {
  const { Pool } = require('undici');
  const pool = new Pool(values.upstream, { connections: 64 });
  const server = createServer((req, res) => {
    pool.dispatch(
      { path: req.url, method: req.method, headers: req.headers, body: null },
      {
        onConnect() {},
        onHeaders(status, rawHeaders) {
          res.writeHead(
            status,
            rawHeaders.map((value) => value.toString('latin1')),
          );
          return true;
        },
        onData: (chunk) => res.write(chunk),
        onComplete: () => res.end(),
        onError: () => {
          res.statusCode = 502;
          res.end();
        },
      },
    );
  });
  server.listen(port, '127.0.0.1');
  return async () => {
    server.close();
    await pool.close();
  };
}

const close = values.proxy === 'fastify' ? await startFastify() : startFloor();
// SIGINT too, so that a --cpu-prof run writes its profile.
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    close().then(() => process.exit(0));
  });
}
