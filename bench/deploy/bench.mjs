#!/usr/bin/env node
// Deploy benchmark: Slipway against the Docker CLI doing the same work on the same engine.
//
//   image:    POST /deploy {image} → `succeeded`   vs  `docker run` + the first HTTP 200
//   redeploy: POST /redeploy of that service → `succeeded` (the old instance still serving),
//             against the same baseline: a redeploy must not wait for the old one to stop
//   source: POST /deploy (bundle) → image pushed vs  `docker build` + `docker push`, for a tiny
//           context and an app-sized one (200 files, 4 MiB, a RUN step)
//
// Needs a running API (docker runtime) and builder, e.g. `npm run dev`, with the Docker CLI on
// PATH, and a rate limit the polling does not hit (SLIPWAY_RATE_LIMIT_PER_MINUTE=100000). Prints the median of each side over --runs runs and their ratio. Not a test: run it
// by hand and read the numbers.
//
//   node bench/deploy/bench.mjs [--runs 5] [--only image|source]
//
// Env: SLIPWAY_API (http://127.0.0.1:3000), SLIPWAY_TOKEN (the local bootstrap token),
// SLIPWAY_BENCH_BASE_IMAGE (busybox:1.36, or SLIPWAY_TEST_BASE_IMAGE), SLIPWAY_REGISTRY
// (127.0.0.1:5000), SLIPWAY_DOCKER_NETWORK (slipway).
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { create as createTar } from 'tar';
import {
  BASE,
  POLL_MS,
  api,
  coldDockerRun,
  defaultProject,
  docker,
  ensureNetwork,
  median,
  postJson,
  sleep,
} from '../support/slipway.mjs';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '5' }, only: { type: 'string' } },
});
const RUNS = Number(values.runs);
const ONLY = values.only;
if (ONLY !== undefined && !['image', 'source'].includes(ONLY)) {
  throw new Error(`--only must be image or source (got ${ONLY})`);
}
const REGISTRY = process.env.SLIPWAY_REGISTRY ?? '127.0.0.1:5000';
const run = randomBytes(3).toString('hex');

/**
 * Build contexts. `tiny`: one file and a COPY, where fixed costs dominate. `app`: 200 source
 * files (4 MiB) and a RUN step over them, closer to what users deploy.
 */
const CONTEXTS = {
  tiny: { files: 0, run: '' },
  app: { files: 200, run: 'RUN cat /www/src/* | sha256sum > /www/checksum' },
};

function contextDir(marker, kind = 'tiny') {
  const { files, run: step } = CONTEXTS[kind];
  const dir = mkdtempSync(join(tmpdir(), 'slipway-bench-'));
  writeFileSync(join(dir, 'index.html'), `bench ${marker}\n`);
  if (files > 0) mkdirSync(join(dir, 'src'));
  for (let i = 0; i < files; i++) {
    writeFileSync(join(dir, 'src', `module-${i}.js`), randomBytes(10 * 1024).toString('base64'));
  }
  const copySources = files > 0 ? 'COPY src /www/src\n' : '';
  writeFileSync(
    join(dir, 'Dockerfile'),
    `FROM ${BASE}\nCOPY index.html /www/index.html\n${copySources}${step ? `${step}\n` : ''}CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]\n`,
  );
  return dir;
}

async function bundle(dir) {
  const chunks = [];
  for await (const chunk of createTar({ gzip: true, cwd: dir, portable: true }, ['.']))
    chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function until(serviceId, deploymentId, done) {
  for (;;) {
    const d = await api('GET', `/v1/services/${serviceId}/deployments/${deploymentId}`);
    if (done(d)) return d;
    if (['build_failed', 'deployment_failed', 'cancelled'].includes(d.status)) {
      throw new Error(`deployment ${d.status}: ${d.failure_reason}`);
    }
    await sleep(POLL_MS);
  }
}

/** First deploy and redeploy of one service: both to `succeeded`, timed apart. */
async function slipwayImage(project, image, index) {
  const service = await postJson('/v1/services', {
    name: `bench-img-${run}-${index}`,
    project_id: project,
  });
  let started = performance.now();
  const deployment = await postJson(`/v1/services/${service.id}/deploy`, { image });
  await until(service.id, deployment.id, (d) => d.status === 'succeeded');
  const first = performance.now() - started;
  started = performance.now();
  const redeployment = await postJson(`/v1/services/${service.id}/redeploy`, {});
  await until(service.id, redeployment.id, (d) => d.status === 'succeeded');
  const redeploy = performance.now() - started;
  await api('DELETE', `/v1/services/${service.id}`);
  return { first, redeploy };
}

function baselineSource(kind, index) {
  const dir = contextDir(`baseline-${run}-${index}`, kind);
  const tag = `${REGISTRY}/bench/baseline-${run}:${index}`;
  const started = performance.now();
  docker('build', '-q', '-t', tag, dir);
  docker('push', '-q', tag);
  const elapsed = performance.now() - started;
  docker('rmi', tag);
  rmSync(dir, { recursive: true, force: true });
  return elapsed;
}

async function slipwaySource(project, kind, index) {
  const service = await postJson('/v1/services', {
    name: `bench-${kind}-${run}-${index}`,
    project_id: project,
  });
  const dir = contextDir(`slipway-${run}-${index}`, kind);
  const form = new FormData();
  form.set('data', JSON.stringify({ docker: { file: 'Dockerfile', context: '.' } }));
  form.set('source', new Blob([await bundle(dir)], { type: 'application/gzip' }), 'archive.tar.gz');
  const started = performance.now();
  const deployment = await api('POST', `/v1/services/${service.id}/deploy`, form);
  await until(service.id, deployment.id, (d) => d.image_digest !== null);
  const elapsed = performance.now() - started;
  await until(service.id, deployment.id, (d) => d.status === 'succeeded');
  await api('DELETE', `/v1/services/${service.id}`);
  rmSync(dir, { recursive: true, force: true });
  return elapsed;
}

async function main() {
  const { projectId: project } = await defaultProject();
  const imageDir = contextDir(`image-${run}`);
  const image = `slipway-bench/site-${run}:1`;
  docker('build', '-q', '-t', image, imageDir);
  rmSync(imageDir, { recursive: true, force: true });
  ensureNetwork();

  const rows = [];
  const sides = {
    baselineImage: [],
    slipwayImage: [],
    slipwayRedeploy: [],
    baselineTiny: [],
    slipwayTiny: [],
    baselineApp: [],
    slipwayApp: [],
  };
  // Warm-up (not counted): the first build of the base layers, the first network attach.
  await coldDockerRun(image);
  if (ONLY !== 'image') baselineSource('tiny', 'warm');
  for (let i = 0; i < RUNS; i++) {
    // Interleaved, so drift on the machine hits both sides alike.
    if (ONLY !== 'source') {
      sides.baselineImage.push(await coldDockerRun(image));
      const { first, redeploy } = await slipwayImage(project, image, i);
      sides.slipwayImage.push(first);
      sides.slipwayRedeploy.push(redeploy);
    }
    if (ONLY !== 'image') {
      sides.baselineTiny.push(baselineSource('tiny', i));
      sides.slipwayTiny.push(await slipwaySource(project, 'tiny', i));
      sides.baselineApp.push(baselineSource('app', i));
      sides.slipwayApp.push(await slipwaySource(project, 'app', i));
    }
  }
  docker('rmi', image);

  const report = (name, slipway, baseline, goal) => {
    if (slipway.length === 0) return;
    const ratio = median(slipway) / median(baseline);
    // Best of each side as well: on some hosts a container that gets a just-freed IP answers
    // its first connection ~1 s late (neighbour-cache re-resolution), whichever side it is.
    const bestRatio = Math.min(...slipway) / Math.min(...baseline);
    rows.push({
      name,
      slipway: median(slipway),
      baseline: median(baseline),
      ratio,
      bestRatio,
      goal,
    });
  };
  report(
    'image deploy → succeeded  vs  docker run + first 200',
    sides.slipwayImage,
    sides.baselineImage,
    1.5,
  );
  report(
    'image redeploy → succeeded  vs  docker run + first 200',
    sides.slipwayRedeploy,
    sides.baselineImage,
    1.5,
  );
  report(
    'source deploy (tiny) → pushed  vs  docker build + push',
    sides.slipwayTiny,
    sides.baselineTiny,
    1.15,
  );
  report(
    'source deploy (app)  → pushed  vs  docker build + push',
    sides.slipwayApp,
    sides.baselineApp,
    1.15,
  );
  console.log(`\nmedians of ${RUNS} runs (ms), base image ${BASE}, registry ${REGISTRY}\n`);
  for (const row of rows) {
    console.log(
      `${row.name.padEnd(56)} slipway ${row.slipway.toFixed(0).padStart(6)}  baseline ${row.baseline
        .toFixed(0)
        .padStart(
          6,
        )}  ratio ${row.ratio.toFixed(2)} (goal ≤ ${row.goal})  best-of ratio ${row.bestRatio.toFixed(2)}`,
    );
  }
  console.log(
    '\nall runs (ms):',
    JSON.stringify(
      Object.fromEntries(Object.entries(sides).map(([k, v]) => [k, v.map(Math.round)])),
    ),
  );
}

main().catch((error) => {
  console.error(`bench: ${error.message}`);
  process.exit(1);
});
