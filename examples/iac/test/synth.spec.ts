import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadStack, locateStack } from '@slipway/iac';

const run = promisify(execFile);
const EXAMPLE = join(__dirname, '..');

describe('the services-as-code example', () => {
  it('synthesizes with cdktf.json’s app into a stack slipway iac accepts', async () => {
    const outdir = mkdtempSync(join(tmpdir(), 'slipway-example-iac-'));
    await run(process.execPath, [require.resolve('tsx/cli'), 'main.ts'], {
      cwd: EXAMPLE,
      env: { ...process.env, CDKTF_OUTDIR: outdir },
    });
    const stack = loadStack(locateStack(outdir));
    expect(stack.name).toBe('shop');
    expect(stack.resources.map((r) => r.address)).toEqual([
      'slipway_project.shop',
      'slipway_service.catalog',
      'slipway_service.storefront',
      'slipway_access_key.storefront_callers',
    ]);
    expect(stack.variables.session_secret).toEqual({ sensitive: true });
    const storefront = stack.resources.find((r) => r.address === 'slipway_service.storefront');
    expect(storefront?.config).toMatchObject({
      secret_env: { SESSION_SECRET: '${var.session_secret}' },
      source: { dockerfile: 'Dockerfile', context: '.' },
    });
  }, 60_000);
});
