/**
 * Each preset's services-as-code stack, planned by `slipway iac plan` against a running API:
 * a new stack plans only creates (its project, services and Access Key), and nothing is
 * changed by planning.
 */
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadStack, locateStack } from '@slipway/iac';
import { useCliStack } from './support';

const run = promisify(execFile);
const PRESETS = join(__dirname, '..', '..', '..', 'examples', 'presets');

interface Planned {
  changes: { add: number; change: number; destroy: number };
  resources: { address: string; action: string }[];
}

describe('the presets, planned against a running API', () => {
  const cli = useCliStack();

  it.each(['dynamiq-agent', 'unstructured', 'livekit-voice-agent', 'paddleocr-vl'])(
    '%s plans its project, services and Access Key as creates',
    async (preset) => {
      const outdir = await mkdtemp(join(cli.home, 'synth-'));
      await run(process.execPath, [require.resolve('tsx/cli'), 'stack.ts'], {
        cwd: join(PRESETS, preset),
        env: { ...process.env, CDKTF_OUTDIR: outdir },
      });
      const stack = loadStack(locateStack(outdir));
      // Secrets the user would export: any value plans the same.
      const variables = Object.fromEntries(
        Object.entries(stack.variables)
          .filter(([name, variable]) => name !== 'slipway_token' && variable.default === undefined)
          .map(([name]) => [`TF_VAR_${name}`, `test-${name}`]),
      );
      const result = await cli.slipway(['iac', 'plan', '--synth-dir', outdir, '--json'], {
        ...cli.adminEnv(),
        ...variables,
      });
      expect({ code: result.code, stderr: result.stderr }).toEqual({
        code: 2,
        stderr: expect.not.stringMatching(/error:/),
      });
      const plan = JSON.parse(result.stdout) as Planned;
      expect(plan.changes).toEqual({ add: stack.resources.length, change: 0, destroy: 0 });
      expect(new Set(plan.resources.map((r) => r.action))).toEqual(new Set(['create']));
      expect(plan.resources.map((r) => r.address)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^slipway_project\./),
          expect.stringMatching(/^slipway_service\./),
          expect.stringMatching(/^slipway_access_key\./),
        ]),
      );
    },
    120_000,
  );
});
