import { type Command } from 'commander';
import { call, listAll } from '../client';
import { updateConfig } from '../config';
import { formatFields, formatTable } from '../output';
import { group, handle, leaf, type JsonOption } from './common';

interface IdOption extends JsonOption {
  id: string;
}

export function registerOrgs(program: Command): void {
  const org = group(program, 'org', 'List organizations and choose the current one', [
    'slipway org list',
    'slipway org set --id ORG_ID',
  ]);

  handle(
    leaf(
      org,
      'list',
      'List the organizations you belong to (* marks the current one)',
      'slipway org list',
    ),
    async (_options, output, connect) => {
      const api = await connect();
      const orgs = await listAll((page) =>
        call(api, api.client.GET('/v1/orgs', { params: { query: { page, per_page: 100 } } })),
      );
      output.result(orgs, () =>
        formatTable(
          ['', 'id', 'name', 'role'],
          orgs.map((o) => [o.id === api.settings.orgId ? '*' : '', o.id, o.name, o.role]),
        ),
      );
    },
  );

  const set = leaf(
    org,
    'set',
    'Make an organization the current one',
    'slipway org set --id ORG_ID',
  ).requiredOption('--id <id>', 'the organization id');
  handle<IdOption>(set, async (options, output, connect) => {
    const api = await connect();
    const { data: chosen } = await call(
      api,
      api.client.GET('/v1/orgs/{id}', { params: { path: { id: options.id } } }),
    );
    // A project belongs to one organization: changing organization forgets it.
    const changed = chosen.id !== api.settings.orgId;
    await updateConfig({ org_id: chosen.id, ...(changed && { project_id: undefined }) });
    output.result(chosen, () =>
      formatFields([
        ['current org', `${chosen.name} (${chosen.id})`],
        ...(changed ? [['next', 'choose a project: slipway project list'] as const] : []),
      ]),
    );
  });
}
