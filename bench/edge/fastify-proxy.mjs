#!/usr/bin/env node
// The `@fastify/http-proxy` baseline of bench/edge/bench.mjs, run there as a child process:
// a plain proxy to one upstream with Fastify's defaults (undici pool, no logging).
//
//   node bench/edge/fastify-proxy.mjs --port 9001 --upstream http://127.0.0.1:9000
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const require = createRequire(
  join(import.meta.dirname, '..', '..', 'apps', 'edge', 'package.json'),
);
const Fastify = require('fastify');
const proxy = require('@fastify/http-proxy');

const { values } = parseArgs({
  options: { port: { type: 'string' }, upstream: { type: 'string' } },
});
if (!values.port || !values.upstream) throw new Error('--port and --upstream are required');

const app = Fastify({ logger: false });
await app.register(proxy, { upstream: values.upstream });
await app.listen({ port: Number(values.port), host: '127.0.0.1' });
process.on('SIGTERM', () => {
  app.close().then(() => process.exit(0));
});
