#!/usr/bin/env node
// `npm run dev` of an app (run from its package directory): compiles it, recompiles on change
// and restarts it, against the local PostgreSQL and Redis. Service deployments are on, as in
// the local stack.
//
// The app starts only once the watcher's first compile has landed: that compile rewrites
// every file in dist/, and an app started before it would restart once, already serving.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const env = {
  SLIPWAY_SERVICES_ENABLED: 'true',
  SLIPWAY_BOOTSTRAP_TOKEN: 'slp_pat_local_dev_bootstrap_token_change_me',
  ...process.env,
};
// tsc prints this after every compile in watch mode, errors or not.
const COMPILED = /Found (\d+) errors?\. Watching for file changes\./;

const children = [];
const stop = () => children.forEach((child) => child.kill('SIGTERM'));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

const watcher = spawn(
  'npx',
  ['tsc', '-p', 'tsconfig.build.json', '--watch', '--preserveWatchOutput'],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
children.push(watcher);
watcher.on('exit', (code) => {
  stop();
  process.exitCode = code ?? 0;
});

let app;
createInterface({ input: watcher.stdout }).on('line', (line) => {
  console.log(line);
  const compiled = COMPILED.exec(line);
  if (!compiled || app) return;
  if (compiled[1] !== '0') {
    console.error('dev: fix the errors above; the app starts once it compiles');
    return;
  }
  app = spawn(process.execPath, ['--enable-source-maps', '--watch-path=dist', 'dist/main.js'], {
    stdio: 'inherit',
    env,
  });
  children.push(app);
  app.on('exit', (code) => {
    stop();
    process.exitCode = code ?? 0;
  });
});
