/**
 * A real `terraform` against the built provider, installed into a local filesystem mirror
 * the way the README says, with nothing fetched from a registry.
 */
import { execFile, execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MAIN } from './plugin-client';

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Fails with the reason when this machine has no terraform: the tests need the real one. */
export function terraformVersion(): string {
  try {
    return execFileSync('terraform', ['version', '-json'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch (error) {
    throw new Error(
      `these tests run a real terraform binary and none could be run here (${(error as Error).message}); install Terraform 1.x on PATH`,
    );
  }
}

/** Installs the provider into `<home>/mirror` and writes the CLI configuration using it. */
export async function installProvider(home: string): Promise<string> {
  const output = execFileSync(
    process.execPath,
    [MAIN, 'install', '--mirror', join(home, 'mirror')],
    {
      encoding: 'utf8',
    },
  );
  const config = output.slice(output.indexOf('provider_installation'));
  const file = join(home, 'terraformrc');
  await writeFile(file, config);
  return file;
}

export function terraform(args: string[], cwd: string, env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      'terraform',
      [args[0] ?? 'version', '-no-color', ...args.slice(1)],
      {
        cwd,
        env: {
          PATH: process.env.PATH ?? '',
          TF_IN_AUTOMATION: '1',
          TF_INPUT: '0',
          CHECKPOINT_DISABLE: '1',
          ...env,
        },
        timeout: 280_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

interface PlanJson {
  resource_changes?: { address: string; change: { actions: string[] } }[];
}

/** `terraform show -json` of a saved plan: each resource's action, in slipway iac's words. */
export function actionsOf(planJson: string): Record<string, string> {
  const plan = JSON.parse(planJson) as PlanJson;
  const word = (actions: string[]) => {
    const key = actions.join(',');
    const words: Record<string, string> = {
      create: 'create',
      update: 'update',
      delete: 'delete',
      'no-op': 'no-op',
      read: 'no-op',
      'delete,create': 'replace',
      'create,delete': 'replace',
    };
    return words[key] ?? key;
  };
  return Object.fromEntries(
    (plan.resource_changes ?? [])
      .filter((r) => !r.address.startsWith('data.'))
      .map((r) => [r.address, word(r.change.actions)]),
  );
}
