import { type Command } from 'commander';
import { call, listAll, type Schemas } from '../client';
import { updateConfig } from '../config';
import { formatFields, formatTable } from '../output';
import { group, handle, leaf, type JsonOption } from './common';

interface IdOption extends JsonOption {
  id: string;
}

function gpu(profile: Schemas['ResourceProfileView']): string | undefined {
  return profile.gpu_type ? `${profile.gpu_count} x ${profile.gpu_type}` : undefined;
}

export function registerResourceProfiles(program: Command): void {
  const profile = group(
    program,
    'resource-profile',
    'List resource profiles (CPU, memory, GPU sizes) and choose the one deploys use',
    ['slipway resource-profile list', 'slipway resource-profile set --id RESOURCE_PROFILE_ID'],
  );

  handle(
    leaf(
      profile,
      'list',
      'List the resource profiles for services (* marks the current one)',
      'slipway resource-profile list',
    ),
    async (_options, output, connect) => {
      const api = await connect();
      const profiles = await listAll((page) =>
        call(
          api,
          api.client.GET('/v1/resource-profiles', {
            params: { query: { purpose: 'service', sort: 'sort_order', page, per_page: 100 } },
          }),
        ),
      );
      output.result(profiles, () =>
        formatTable(
          ['', 'id', 'name', 'cpu', 'memory', 'gpu', 'description'],
          profiles.map((p) => [
            p.id === api.settings.resourceProfileId ? '*' : '',
            p.id,
            p.name,
            p.cpu,
            p.memory,
            gpu(p),
            p.description,
          ]),
        ),
      );
    },
  );

  const set = leaf(
    profile,
    'set',
    'Make a resource profile the one `service deploy` uses when not given --resource-profile',
    'slipway resource-profile set --id RESOURCE_PROFILE_ID',
  ).requiredOption('--id <id>', 'the resource profile id');
  handle<IdOption>(set, async (options, output, connect) => {
    const api = await connect();
    const { data: chosen } = await call(
      api,
      api.client.GET('/v1/resource-profiles/{id}', { params: { path: { id: options.id } } }),
    );
    await updateConfig({ resource_profile_id: chosen.id });
    output.result(chosen, () =>
      formatFields([
        ['current resource profile', `${chosen.name} (${chosen.id})`],
        ['size', [chosen.cpu, 'CPU', chosen.memory, gpu(chosen)].filter(Boolean).join(' ')],
      ]),
    );
  });
}
