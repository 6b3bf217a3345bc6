import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { globalSetup } from '@slipway/api-testing';

/**
 * PostgreSQL and Redis for the in-process API (the API's own setup), and a fresh build of
 * the CLI: the e2e spec runs `bin/slipway.js` as a user would, and `turbo run test` does
 * not build the package under test.
 */
export default async function cliGlobalSetup(): Promise<void> {
  await globalSetup();
  execFileSync('npm', ['run', 'build', '--silent'], {
    cwd: join(__dirname, '..'),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
