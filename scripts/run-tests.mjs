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

const run = spawnSync('npx', ['turbo', 'run', 'test', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { TURBO_TELEMETRY_DISABLED: '1', ...process.env },
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
