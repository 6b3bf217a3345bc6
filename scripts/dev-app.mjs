#!/usr/bin/env node
// `npm run dev` of an app (run from its package directory): compiles it, recompiles on change
// and restarts it, against the local PostgreSQL and Redis. Service deployments are on, as in
// the local stack.
import { spawn, spawnSync } from 'node:child_process';

const env = {
  SLIPWAY_SERVICES_ENABLED: 'true',
  SLIPWAY_BOOTSTRAP_TOKEN: 'slp_pat_local_dev_bootstrap_token_change_me',
  ...process.env,
};
const build = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const children = [
  spawn('npx', ['tsc', '-p', 'tsconfig.build.json', '--watch', '--preserveWatchOutput'], {
    stdio: 'inherit',
  }),
  spawn(process.execPath, ['--enable-source-maps', '--watch-path=dist', 'dist/main.js'], {
    stdio: 'inherit',
    env,
  }),
];
const stop = () => children.forEach((child) => child.kill('SIGTERM'));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
children.forEach((child) =>
  child.on('exit', (code) => {
    stop();
    process.exitCode = code ?? 0;
  }),
);
