import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { globalSetup } from '@slipway/api-testing';

/**
 * PostgreSQL and Redis for the in-process API, and fresh builds of the CLI (the provider
 * runs its backend) and of the provider, which the tests start as Terraform does.
 */
export default async function providerGlobalSetup(): Promise<void> {
  await globalSetup();
  for (const app of ['cli', 'terraform-provider'])
    execFileSync('npm', ['run', 'build', '--silent'], {
      cwd: join(__dirname, '..', '..', app),
      stdio: ['ignore', 'ignore', 'inherit'],
    });
}
