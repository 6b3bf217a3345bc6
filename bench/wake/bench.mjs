#!/usr/bin/env node
// Wake benchmark: the first response from a sleeping service, through the edge, against a cold
// `docker run` of the same image until its first 200 (the start a sleeping service saves).
//
//   single:   one request to a sleeping service → its 200, each run
//   parallel: --parallel (25) requests at once to a sleeping service → every 200: p95, max,
//             errors (Knative's published goal: p95 ≤ 2 s for 25 parallel)
//
// Goal: first response ≤ 1.5× the cold start, 0 errors. Needs the local stack running with
// the docker runtime and the edge (`npm run dev`, or compose with SLIPWAY_API/SLIPWAY_EDGE
// pointing at it) and SLIPWAY_AUTOSCALE_INTERVAL_SECONDS small (the default 2 is fine). Each
// run waits for the service to fall asleep (--idle seconds, at least 10), so a run takes
// about that long. Not a test: run it by hand and read the numbers.
//
//   node bench/wake/bench.mjs [--runs 5] [--parallel 25] [--idle 10]
//
// Env: SLIPWAY_API (http://127.0.0.1:3000), SLIPWAY_EDGE (http://127.0.0.1:8000),
// SLIPWAY_TOKEN, SLIPWAY_BENCH_BASE_IMAGE, SLIPWAY_DOCKER_NETWORK, as bench/deploy.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  BASE,
  api,
  coldDockerRun,
  defaultProject,
  docker,
  ensureNetwork,
  median,
  percentile,
  postJson,
  sleep,
  statusOf,
} from '../support/slipway.mjs';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    parallel: { type: 'string', default: '25' },
    idle: { type: 'string', default: '10' },
  },
});
const RUNS = Number(values.runs);
const PARALLEL = Number(values.parallel);
const IDLE = Math.max(10, Number(values.idle));
const EDGE = new URL(process.env.SLIPWAY_EDGE ?? 'http://127.0.0.1:8000');
const run = randomBytes(3).toString('hex');

/** The benches' site: busybox httpd on 8080, as in bench/deploy. */
function buildSite() {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-bench-'));
  writeFileSync(join(dir, 'index.html'), `wake bench ${run}\n`);
  writeFileSync(
    join(dir, 'Dockerfile'),
    `FROM ${BASE}\nCOPY index.html /www/index.html\nCMD ["httpd", "-f", "-p", "8080", "-h", "/www"]\n`,
  );
  const image = `slipway-bench/wake-${run}:1`;
  docker('build', '-q', '-t', image, dir);
  rmSync(dir, { recursive: true, force: true });
  return image;
}

/**
 * Until the service is asleep: its status reads `sleeping` and the scale to 0 has ended (a
 * request during the second it takes waits for it, which is not what is measured here).
 */
async function untilAsleep(id, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { status } = await api('GET', `/v1/services/${id}`);
    const [latest] = await api('GET', `/v1/services/${id}/events?page_size=1`);
    if (status === 'sleeping' && latest?.cause === 'idle' && latest.ended_at !== null) return;
    if (Date.now() > deadline) throw new Error(`service ${id} still ${status}, not asleep`);
    await sleep(200);
  }
}

/** One request through the edge: its status and milliseconds (the edge holds it while waking). */
async function timedCall(hostname, key) {
  const started = performance.now();
  const status = await statusOf({
    host: EDGE.hostname,
    port: Number(EDGE.port || 80),
    path: '/index.html',
    headers: { host: hostname, authorization: `Bearer ${key}` },
    timeoutMs: 120_000,
  });
  return { status, ms: performance.now() - started };
}

async function main() {
  ensureNetwork();
  const image = buildSite();
  const { orgId, projectId } = await defaultProject();
  const service = await postJson('/v1/services', {
    name: `bench-wake-${run}`,
    project_id: projectId,
  });
  const key = (await postJson('/v1/access-keys', { name: `bench-wake-${run}`, org_id: orgId })).key;
  try {
    const deployment = await postJson(`/v1/services/${service.id}/deploy`, {
      image,
      health_check_path: '/index.html',
      autoscaling: { min_replicas: 0, max_replicas: 1, idle_timeout_seconds: IDLE },
    });
    for (;;) {
      const d = await api('GET', `/v1/services/${service.id}/deployments/${deployment.id}`);
      if (d.status === 'succeeded') break;
      if (d.status.endsWith('failed'))
        throw new Error(`deployment ${d.status}: ${d.failure_reason}`);
      await sleep(100);
    }
    // Warm-up, not counted: the edge learns the key, the engine the network.
    while ((await timedCall(service.hostname, key)).status !== 200) await sleep(100);
    await coldDockerRun(image);

    const cold = [];
    const single = [];
    const parallel = [];
    let errors = 0;
    for (let i = 0; i < RUNS; i++) {
      cold.push(await coldDockerRun(image));
      await untilAsleep(service.id, (IDLE + 30) * 1000);
      const one = await timedCall(service.hostname, key);
      if (one.status !== 200) errors += 1;
      single.push(one.ms);
      await untilAsleep(service.id, (IDLE + 30) * 1000);
      const many = await Promise.all(
        Array.from({ length: PARALLEL }, () => timedCall(service.hostname, key)),
      );
      errors += many.filter((r) => r.status !== 200).length;
      parallel.push(...many.map((r) => r.ms));
    }
    const events = await api('GET', `/v1/services/${service.id}/events?page_size=100`);
    const wakes = events.filter((e) => e.cause === 'wake');

    const ratio = median(single) / median(cold);
    console.log(`\n${RUNS} runs, base image ${BASE}, idle timeout ${IDLE} s\n`);
    console.log(`cold docker run + first 200     median ${median(cold).toFixed(0)} ms`);
    console.log(`wake: first response (1 req)    median ${median(single).toFixed(0)} ms`);
    console.log(
      `wake/cold ratio                 ${ratio.toFixed(2)} (goal ≤ 1.5: ${ratio <= 1.5 ? 'met' : 'MISSED'})`,
    );
    console.log(
      `wake: ${PARALLEL} parallel              p95 ${percentile(parallel, 0.95).toFixed(0)} ms  max ${Math.max(...parallel).toFixed(0)} ms  (Knative: p95 ≤ 2000 ms)`,
    );
    console.log(`errors                          ${errors} (goal 0)`);
    console.log(
      `wakes recorded                  ${wakes.length} (${wakes.filter((e) => e.status === 'succeeded').length} succeeded) for ${RUNS * 2} sleeps`,
    );
    console.log(
      '\nall runs (ms):',
      JSON.stringify({
        cold: cold.map(Math.round),
        single: single.map(Math.round),
        parallel: parallel.map(Math.round),
      }),
    );
  } finally {
    await api('DELETE', `/v1/services/${service.id}`).catch(() => undefined);
    // The service's containers go in the background: the image may still be in use a moment.
    await sleep(5000);
    try {
      docker('rmi', image);
    } catch {
      console.error(`bench: ${image} left behind (still in use); remove it with docker rmi`);
    }
  }
}

main().catch((error) => {
  console.error(`bench: ${error.message}`);
  process.exit(1);
});
