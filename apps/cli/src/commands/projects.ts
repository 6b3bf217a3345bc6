import { type Command } from 'commander';
import { call, listAll } from '../client';
import { updateConfig } from '../config';
import { formatFields, formatTable } from '../output';
import { group, handle, leaf, type JsonOption } from './common';

interface ListOptions extends JsonOption {
  orgId?: string;
}

interface IdOption extends JsonOption {
  id: string;
}

export function registerProjects(program: Command): void {
  const project = group(program, 'project', 'List projects and choose the current one', [
    'slipway project list',
    'slipway project set --id PROJECT_ID',
  ]);

  const list = leaf(
    project,
    'list',
    'List projects, of the current organization when one is set (* marks the current project)',
    'slipway project list --org-id ORG_ID',
  ).option('--org-id <id>', 'only projects of this organization');
  handle<ListOptions>(list, async (options, output, connect) => {
    const api = await connect();
    const orgId = options.orgId ?? api.settings.orgId;
    const projects = await listAll((page) =>
      call(
        api,
        api.client.GET('/v1/projects', {
          params: { query: { page, per_page: 100, ...(orgId && { org_id: orgId }) } },
        }),
      ),
    );
    output.result(projects, () =>
      formatTable(
        ['', 'id', 'name', 'org'],
        projects.map((p) => [p.id === api.settings.projectId ? '*' : '', p.id, p.name, p.org_id]),
      ),
    );
  });

  const set = leaf(
    project,
    'set',
    'Make a project the current one (its organization becomes current too)',
    'slipway project set --id PROJECT_ID',
  ).requiredOption('--id <id>', 'the project id');
  handle<IdOption>(set, async (options, output, connect) => {
    const api = await connect();
    const { data: chosen } = await call(
      api,
      api.client.GET('/v1/projects/{id}', { params: { path: { id: options.id } } }),
    );
    await updateConfig({ project_id: chosen.id, org_id: chosen.org_id });
    output.result(chosen, () =>
      formatFields([
        ['current project', `${chosen.name} (${chosen.id})`],
        ['org', chosen.org_id],
      ]),
    );
  });
}
