#!/usr/bin/env node
// Runs every workspace's tests through turbo, then prints one closing line from the
// jest JSON results ("N passed, N failed, N skipped") so CI can read what really ran.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const resultFiles = ['apps', 'libs', 'infra', 'examples']
  .flatMap((group) =>
    existsSync(join(root, group))
      ? readdirSync(join(root, group)).map((name) => join(root, group, name))
      : [],
  )
  .map((dir) => join(dir, '.jest-results.json'));

for (const file of resultFiles) rmSync(file, { force: true });

// The deploy-pipeline specs need a Docker Engine, a base image and a registry. On a fresh
// machine set them up here (idempotent), so `npm test` works as the README says.
const dockerEnv = {};
if (!process.env.SLIPWAY_TEST_BASE_IMAGE || !process.env.SLIPWAY_TEST_REGISTRY) {
  const setup = spawnSync('bash', [join(root, 'scripts/setup-docker.sh')], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  if (setup.status !== 0) {
    console.error('scripts/setup-docker.sh failed: the Docker Engine is needed by the tests');
    process.exit(1);
  }
  for (const match of setup.stdout.matchAll(/^export (\w+)=(.*)$/gm))
    dockerEnv[match[1]] = match[2];
}

// The dashboard's browser test drives Debian's Chromium; install it when it is missing.
if (!process.env.SLIPWAY_TEST_CHROMIUM) {
  const chromium = spawnSync('bash', [join(root, 'scripts/setup-chromium.sh')], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (chromium.status !== 0)
    console.error('Chromium is missing: the dashboard browser test will fail');
}

// The compose e2e test runs the local stack on stand-in images where none can be pulled;
// make them when missing (seconds: they are copied from this machine's own packages).
const standIns = [
  ['slipway-local/node:20', 'scripts/make-local-node-image.sh'],
  ['slipway-local/postgres:15', 'scripts/make-local-service-images.sh'],
];
for (const [image, script] of standIns) {
  const present =
    spawnSync('docker', ['image', 'inspect', image], { stdio: 'ignore' }).status === 0;
  if (!present && !process.env.SLIPWAY_NODE_IMAGE) {
    spawnSync('bash', [join(root, script)], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  }
}

const run = spawnSync('npx', ['turbo', 'run', 'test', '--continue', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { TURBO_TELEMETRY_DISABLED: '1', ...process.env, ...dockerEnv },
});

let passed = 0;
let failed = 0;
let skipped = 0;
let failedSuites = 0;
for (const file of resultFiles.filter((f) => existsSync(f))) {
  const result = JSON.parse(readFileSync(file, 'utf8'));
  passed += result.numPassedTests;
  failed += result.numFailedTests;
  skipped += result.numPendingTests + result.numTodoTests;
  failedSuites += result.numFailedTestSuites + (result.numRuntimeErrorTestSuites ?? 0);
}

console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
if (failedSuites > 0 && failed === 0) console.log(`${failedSuites} test suite(s) failed to run`);
const ranNothing = passed + failed === 0;
if (ranNothing) console.log('No test ran: treat this as a failure.');
process.exit(run.status !== 0 || failed > 0 || failedSuites > 0 || ranNothing ? 1 : 0);
