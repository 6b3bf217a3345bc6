import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

// Loaded untyped, like the API stack in the e2e spec: the CLI does not compile against the API.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { default: apiGlobalSetup } = require('../../api/test/support/global-setup') as {
  default: () => Promise<void>;
};

/**
 * PostgreSQL and Redis for the in-process API (the API's own setup), and a fresh build of
 * the CLI: the e2e spec runs `bin/slipway.js` as a user would, and `turbo run test` does
 * not build the package under test.
 */
export default async function globalSetup(): Promise<void> {
  await apiGlobalSetup();
  execFileSync('npm', ['run', 'build', '--silent'], {
    cwd: join(__dirname, '..'),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
