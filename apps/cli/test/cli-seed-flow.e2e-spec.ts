/**
 * The seeds' "Deploy with the CLI" walk-through, command for command, with `slipway` in
 * place of `dynamiq` (only the ids are filled in). Its first step, an interactive
 * `config`, is covered by the terminal test in cli-context.e2e-spec.ts.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { siteDockerfile } from '@slipway/api-testing';
import { useCliStack } from './support';

jest.setTimeout(180_000);

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

describe("the seeds' CLI flow", () => {
  const cli = useCliStack();

  it('works verbatim with slipway in place of dynamiq', async () => {
    const { slipway, json, stack } = cli;
    const ok = async (args: string[], cwd?: string): Promise<string> => {
      const result = await slipway(args, {}, cwd);
      expect({ args, code: result.code, stderr: result.stderr }).toEqual({
        args,
        code: 0,
        stderr: expect.any(String),
      });
      return result.stdout;
    };
    await json(['config', '--api-url', cli.apiUrl, '--token', stack.t.adminToken]);

    const orgs = await json<{ id: string; name: string }[]>(['org', 'list']);
    const org = orgs.find((candidate) => candidate.name === 'default');
    expect(org).toBeDefined();
    await ok(['org', 'list']);
    await ok(['org', 'set', '--id', org?.id ?? '']);
    const projects = await json<{ id: string; name: string }[]>(['project', 'list']);
    const project = projects.find((candidate) => candidate.name === 'default');
    await ok(['project', 'list']);
    await ok(['project', 'set', '--id', project?.id ?? '']);

    // Profiles are an admin's to create; the walk-through only lists and picks one.
    const created = await fetch(`${cli.apiUrl}/v1/resource-profiles`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${stack.t.adminToken}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({
        name: `seed-${randomBytes(3).toString('hex')}`,
        cpu: '250m',
        memory: '128Mi',
      }),
    });
    expect(created.status).toBe(200);
    const profileId = ((await created.json()) as { data: { id: string } }).data.id;
    expect(await ok(['resource-profile', 'list'])).toContain(profileId);
    await ok(['resource-profile', 'set', '--id', profileId]);

    const serviceId = UUID.exec(await ok(['service', 'create', '--name', 'my-service']))?.[0];
    expect(serviceId).toBeDefined();
    const id = serviceId ?? '';

    const source = join(cli.home, 'my-service');
    await mkdir(source, { recursive: true });
    await writeFile(join(source, 'Dockerfile'), siteDockerfile(stack.baseImage));
    await writeFile(join(source, 'index.html'), 'hello from the seed flow\n');
    await ok(
      [
        'service',
        'deploy',
        '--id',
        id,
        '--source',
        './',
        '--docker-file',
        'Dockerfile',
        '--resource-profile',
        profileId,
        '--env',
        'ENV_VAR_NAME',
        'ENV_VAR_VALUE',
      ],
      source,
    );
    await ok([
      'service',
      'deploy',
      '--id',
      id,
      '--image',
      stack.siteImage,
      '--resource-profile',
      profileId,
      '--env',
      'PORT',
      '8080',
    ]);
    expect(await ok(['service', 'status', '--id', id])).toMatch(/running/);

    const deployments = await json<{ status: string; resource_profile_id: string }[]>([
      'service',
      'deployments',
      '--id',
      id,
    ]);
    expect(deployments.map((d) => d.status)).toEqual(['succeeded', 'succeeded']);
    expect(deployments.every((d) => d.resource_profile_id === profileId)).toBe(true);
  });
});
