import { type Command, Option } from 'commander';
import { call, idempotencyKey, listAll, type Schemas } from '../client';
import { formatFields, formatTable, paintStatus } from '../output';
import { group, handle, leaf, projectIdOf, type JsonOption } from './common';

interface IdOption extends JsonOption {
  id: string;
}

interface CreateOptions extends JsonOption {
  name: string;
  access: 'private' | 'public';
  category?: string;
  description?: string;
  projectId?: string;
}

interface ListOptions extends JsonOption {
  projectId?: string;
}

function serviceFields(service: Schemas['ServiceView'], color: boolean): string {
  return formatFields([
    ['id', service.id],
    ['name', service.name],
    ['hostname', service.hostname],
    ['status', paintStatus(service.status, color)],
    ['access', service.access_control.access_type],
    ['category', service.category],
    ['instances', service.instances],
    ['project', service.project_id],
    ['description', service.description],
  ]);
}

/** `slipway service …`; deploy and operations add their subcommands to it. */
export function registerServices(program: Command): Command {
  const service = group(program, 'service', 'Create, deploy and operate services', [
    'slipway service create --name my-api',
    'slipway service deploy --id SERVICE_ID --image registry.example.com/team/api:1.2',
    'slipway service status --id SERVICE_ID',
  ]);

  const create = leaf(
    service,
    'create',
    'Create a service in the current project; prints its id and hostname',
    'slipway service create --name my-api --access public',
  )
    .requiredOption('--name <name>', 'lower-case letters, digits and dashes')
    .addOption(
      new Option('--access <type>', 'who may call it: private needs an Access Key')
        .choices(['private', 'public'])
        .default('private'),
    )
    .option('--category <category>', 'a free-form category (default: service)')
    .option('--description <text>', 'what the service is for')
    .option('--project-id <id>', 'the project (default: the current one)');
  handle<CreateOptions>(create, async (options, output, connect) => {
    const api = await connect();
    const { data: created } = await call(
      api,
      api.client.POST('/v1/services', {
        params: { header: idempotencyKey() },
        body: {
          name: options.name,
          project_id: projectIdOf(api, options.projectId),
          access_control: { access_type: options.access },
          ...(options.category !== undefined && { category: options.category }),
          ...(options.description !== undefined && { description: options.description }),
        },
      }),
    );
    output.result(created, () => serviceFields(created, output.color));
  });

  const list = leaf(service, 'list', "List a project's services", 'slipway service list').option(
    '--project-id <id>',
    'the project (default: the current one)',
  );
  handle<ListOptions>(list, async (options, output, connect) => {
    const api = await connect();
    const projectId = projectIdOf(api, options.projectId);
    const services = await listAll((page) =>
      call(
        api,
        api.client.GET('/v1/services', {
          params: { query: { project_id: projectId, page, per_page: 100 } },
        }),
      ),
    );
    output.result(services, () =>
      formatTable(
        ['id', 'name', 'status', 'access', 'hostname'],
        services.map((s) => [
          s.id,
          s.name,
          paintStatus(s.status, output.color),
          s.access_control.access_type,
          s.hostname,
        ]),
      ),
    );
  });

  const get = leaf(
    service,
    'get',
    'Show one service',
    'slipway service get --id SERVICE_ID',
  ).requiredOption('--id <id>', 'the service id');
  handle<IdOption>(get, async (options, output, connect) => {
    const api = await connect();
    const { data: found } = await call(
      api,
      api.client.GET('/v1/services/{id}', { params: { path: { id: options.id } } }),
    );
    output.result(found, () => serviceFields(found, output.color));
  });

  const remove = leaf(
    service,
    'delete',
    'Delete a service with its deployments, instances, stored sources and traces',
    'slipway service delete --id SERVICE_ID',
  ).requiredOption('--id <id>', 'the service id');
  handle<IdOption>(remove, async (options, output, connect) => {
    const api = await connect();
    const { data: deleted } = await call(
      api,
      api.client.DELETE('/v1/services/{id}', { params: { path: { id: options.id } } }),
    );
    output.result(deleted, () => `Deleted service ${deleted.name} (${deleted.id})\n`);
  });

  const status = leaf(
    service,
    'status',
    'Show instance counts, the rollout and the latest scale or restart',
    'slipway service status --id SERVICE_ID',
  ).requiredOption('--id <id>', 'the service id');
  handle<IdOption>(status, async (options, output, connect) => {
    const api = await connect();
    const { data: current } = await call(
      api,
      api.client.GET('/v1/services/{id}/status', { params: { path: { id: options.id } } }),
    );
    const operation = current.operation;
    output.result(current, () =>
      formatFields([
        ['status', paintStatus(current.status, output.color)],
        [
          'instances',
          `${current.ready} ready, ${current.available} available, ${current.total} total, ${current.desired} desired`,
        ],
        ['live deployment', current.live_deployment_id],
        [
          'operation',
          operation &&
            `${operation.kind} to ${operation.instances} (${operation.id}): ${paintStatus(operation.status, output.color)}${operation.failure_reason ? `: ${operation.failure_reason}` : ''}`,
        ],
      ]),
    );
  });

  return service;
}
