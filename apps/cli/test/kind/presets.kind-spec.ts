/**
 * The Dynamiq Agent and Unstructured presets deployed for real from examples/presets, as their
 * READMEs' CLI steps say (a Kaniko build of each directory), on a `docker compose --profile
 * kind up` stack with registry access (the e2e-kind workflow's presets job). Unstructured's
 * base image is several GB: it runs where the disk was made room for.
 */
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT, SUFFIX, answerOnce, useKindCli, type Service } from './kind-support';

const cli = useKindCli();

async function profileId(name: string): Promise<string> {
  const profiles = await cli.json<{ id: string; name: string }[]>(['resource-profile', 'list']);
  const profile = profiles.find((p) => p.name === name);
  if (!profile) throw new Error(`no built-in resource profile "${name}"`);
  return profile.id;
}

describe('the presets on a kind cluster', () => {
  it.each([
    // A stand-in key: the agent is built at start without calling the provider, so /health
    // answers; a /run would need a real one.
    ['dynamiq-agent', '/health', 'small', ['--env-secret', 'OPENAI_API_KEY', 'sk-not-a-real-key']],
    // `large` (2 vCPU, 4 GiB) rather than the README's `xlarge`: a runner's node has 4 vCPUs.
    ['unstructured', '/healthcheck', 'large', ['--port', '8080']],
  ])('deploys the %s preset from its directory', async (preset, health, profile, extra) => {
    const name = `${preset}-${SUFFIX}`;
    const dir = join(cli.home, preset);
    await cp(join(ROOT, 'examples', 'presets', preset), dir, { recursive: true });
    const service = await cli.json<Service>(['service', 'create', '--name', name]);
    const deployed = await cli.slipway([
      'service',
      'deploy',
      '--name',
      name,
      '--source',
      dir,
      '--resource-profile',
      await profileId(profile),
      '--health-check-path',
      health,
      ...extra,
    ]);
    expect(deployed).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/succeeded/) as string,
    });
    const auth = { Authorization: `Bearer ${cli.accessKey}` };
    expect((await answerOnce(service.hostname, health, auth, { status: 200 })).status).toBe(200);
    await cli.ok(['service', 'delete', '--name', name]);
  });
});
