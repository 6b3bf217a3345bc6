import { type Command, Option } from 'commander';
import { call, idempotencyKey, listAll, type Schemas } from '../client';
import { repeatable } from '../deploy-settings';
import { UsageError } from '../errors';
import { formatFields, formatTable, paintStatus } from '../output';
import { repoBody, webhookLines, type RepoFlags } from '../repo';
import { operationSummary, serviceStatusText } from '../scaling';
import {
  connectToService,
  group,
  handle,
  integerIn,
  leaf,
  projectIdOf,
  serviceTarget,
  type JsonOption,
  type ServiceTarget,
} from './common';

const PORT_HELP = 'the port the container listens on, given to it as PORT (default 8080)';

interface CreateOptions extends JsonOption {
  name: string;
  access: 'private' | 'public';
  category?: string;
  description?: string;
  projectId?: string;
  tag?: string[];
  port?: number;
}

interface ListOptions extends JsonOption {
  projectId?: string;
  tag?: string[];
}

interface UpdateOptions extends ServiceTarget, RepoFlags {
  description?: string;
  access?: 'private' | 'public';
  category?: string;
  minReplicas?: number | null;
  maxReplicas?: number | null;
  tag?: string[];
  clearTags?: boolean;
  port?: number;
  dockerFile?: string;
  dockerContext?: string;
  disconnectRepo?: boolean;
}

/** A bound that `none` removes: commander parser for `--min-replicas` / `--max-replicas`. */
export function boundOrNone(min: number, max: number): (value: string) => number | null {
  const integer = integerIn(min, max);
  return (value) => (value === 'none' ? null : integer(value));
}

/** The PUT body of `service update`: only the fields given; none at all is a usage error. */
export function updateBody(options: UpdateOptions): Schemas['UpdateServiceDto'] {
  const repo = repoBody(options, { file: options.dockerFile, context: options.dockerContext });
  if (repo === undefined && (options.dockerFile ?? options.dockerContext) !== undefined) {
    throw new UsageError('--docker-file and --docker-context need --repo');
  }
  if (repo !== undefined && options.disconnectRepo === true) {
    throw new UsageError('give --repo or --disconnect-repo, not both');
  }
  const body: Schemas['UpdateServiceDto'] = {
    ...(repo !== undefined && { repo }),
    ...(options.disconnectRepo === true && { repo: null }),
    ...(options.description !== undefined && { description: options.description }),
    ...(options.access !== undefined && { access_control: { access_type: options.access } }),
    ...(options.category !== undefined && { category: options.category }),
    ...(options.minReplicas !== undefined && { min_replicas: options.minReplicas }),
    ...(options.maxReplicas !== undefined && { max_replicas: options.maxReplicas }),
    ...(options.tag !== undefined && { tags: options.tag }),
    ...(options.clearTags === true && { tags: [] }),
    ...(options.port !== undefined && { port: options.port }),
  };
  if (options.tag !== undefined && options.clearTags === true) {
    throw new UsageError('give --tag or --clear-tags, not both');
  }
  if (Object.keys(body).length === 0) {
    throw new UsageError(
      'nothing to update: give --description, --access, --category, --min-replicas, --max-replicas, --tag, --clear-tags, --port, --repo or --disconnect-repo',
    );
  }
  return body;
}

function serviceFields(service: Schemas['ServiceView'], color: boolean): string {
  return formatFields([
    ['id', service.id],
    ['name', service.name],
    ['hostname', service.hostname],
    ['status', serviceStatusText(service.status, color)],
    ['reason', service.status_reason],
    ['access', service.access_control.access_type],
    ['category', service.category],
    ['port', service.port],
    ['repo', service.repo && `${service.repo.url} (${service.repo.branch})`],
    ['tags', service.tags.length ? service.tags.join(', ') : undefined],
    ['instances', service.instances],
    ['replicas', replicaBounds(service)],
    ['project', service.project_id],
    ['description', service.description],
  ]);
}

function replicaBounds(service: Schemas['ServiceView']): string | undefined {
  const { min_replicas: min, max_replicas: max } = service;
  if (min === null && max === null) return undefined;
  return `${min ?? '-'} to ${max ?? '-'}`;
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
    .option('--tag <tag>', 'a tag (repeatable): lowercase letters, digits, - _ . :', repeatable)
    .option('--port <port>', PORT_HELP, integerIn(1, 65535))
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
          ...(options.tag !== undefined && { tags: options.tag }),
          ...(options.port !== undefined && { port: options.port }),
        },
      }),
    );
    output.result(created, () => serviceFields(created, output.color));
  });

  const list = leaf(service, 'list', "List a project's services", 'slipway service list --tag gpu')
    .option('--project-id <id>', 'the project (default: the current one)')
    .option('--tag <tag>', 'only services with this tag (repeatable: all of them)', repeatable);
  handle<ListOptions>(list, async (options, output, connect) => {
    const api = await connect();
    const projectId = projectIdOf(api, options.projectId);
    const services = await listAll((page) =>
      call(
        api,
        api.client.GET('/v1/services', {
          params: { query: { project_id: projectId, page, per_page: 100, tag: options.tag } },
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

  const get = serviceTarget(
    leaf(service, 'get', 'Show one service', 'slipway service get --name my-api'),
  );
  handle<ServiceTarget>(get, async (options, output, connect) => {
    const { api, id } = await connectToService(options, connect);
    const { data: found } = await call(
      api,
      api.client.GET('/v1/services/{id}', { params: { path: { id } } }),
    );
    output.result(found, () => serviceFields(found, output.color));
  });

  const update = serviceTarget(
    leaf(
      service,
      'update',
      "Change a service's description, access, category, replica bounds, tags, port or git repository",
      'slipway service update --id SERVICE_ID --access public --max-replicas 4',
      'Only the options given change; --min-replicas none or --max-replicas none removes a bound.',
    ),
  )
    .option('--description <text>', 'what the service is for')
    .addOption(
      new Option('--access <type>', 'who may call it: private needs an Access Key').choices([
        'private',
        'public',
      ]),
    )
    .option('--category <category>', 'a free-form category')
    .option('--min-replicas <n>', 'lower bound for scaling (or none)', boundOrNone(0, 100))
    .option('--max-replicas <n>', 'upper bound for scaling (or none)', boundOrNone(1, 100))
    .option('--tag <tag>', 'replaces the tags (repeatable)', repeatable)
    .option('--clear-tags', 'removes every tag')
    .option(
      '--port <port>',
      `${PORT_HELP}; a deployed service is redeployed on it`,
      integerIn(1, 65535),
    )
    .option('--repo <url>', 'deploy from this git repository: its branch head is built at once')
    .option('--branch <name>', 'with --repo: the branch to build and follow (default: main)')
    .option('--docker-file <path>', 'with --repo: the Dockerfile, relative to the repository root')
    .option('--docker-context <path>', 'with --repo: the build context, relative to the root')
    .option('--repo-token-env <VAR>', 'with --repo: the environment variable holding a token')
    .option('--repo-username <name>', 'with --repo-token-env: the user name sent with the token')
    .option(
      '--disconnect-repo',
      'stop deploying from the repository (the running deployment stays)',
    );
  handle<UpdateOptions>(update, async (options, output, connect) => {
    const body = updateBody(options);
    const { api, id } = await connectToService(options, connect);
    const { data: updated } = await call(
      api,
      api.client.PUT('/v1/services/{id}', { params: { path: { id } }, body }),
    );
    if (updated.repo?.webhook_secret !== undefined) output.progress(webhookLines(updated.repo));
    output.result(updated, () => serviceFields(updated, output.color));
  });

  const remove = serviceTarget(
    leaf(
      service,
      'delete',
      'Delete a service with its deployments, instances, stored sources and traces',
      'slipway service delete --id SERVICE_ID',
      'Its hostname answers 503 from the start. Instances drain and stop with their grace period unless --force.',
    ),
  )
    .option('--force', 'kill the instances at once: no drain, no grace period')
    .option('--keep-volumes', "keep a stateful service's volumes and their data");
  type DeleteOptions = ServiceTarget & { force?: boolean; keepVolumes?: boolean };
  handle<DeleteOptions>(remove, async (options, output, connect) => {
    const { api, id } = await connectToService(options, connect);
    const query = { force: options.force === true, keep_volumes: options.keepVolumes === true };
    const { data: deleted } = await call(
      api,
      api.client.DELETE('/v1/services/{id}', { params: { path: { id }, query } }),
    );
    output.result(deleted, () => `Deleted service ${deleted.name} (${deleted.id})\n`);
  });

  const status = serviceTarget(
    leaf(
      service,
      'status',
      'Show instance counts, the rollout and the latest scale or restart (and who decided it)',
      'slipway service status --id SERVICE_ID',
    ),
  );
  handle<ServiceTarget>(status, async (options, output, connect) => {
    const { api, id } = await connectToService(options, connect);
    const { data: current } = await call(
      api,
      api.client.GET('/v1/services/{id}/status', { params: { path: { id } } }),
    );
    const operation = current.operation;
    output.result(current, () =>
      formatFields([
        ['status', serviceStatusText(current.status, output.color)],
        ['reason', current.reason],
        [
          'instances',
          `${current.ready} ready, ${current.available} available, ${current.total} total, ${current.desired} desired`,
        ],
        ['live deployment', current.live_deployment_id],
        ['operation', operation && operationSummary(operation, output.color)],
      ]),
    );
  });

  return service;
}
