import { type Command } from 'commander';
import { call, idempotencyKey, listAll, type Api, type Schemas } from '../client';
import { UsageError } from '../errors';
import { formatFields, formatTable, paintStatus } from '../output';
import { group, handle, leaf, type JsonOption } from './common';

interface ScopeOptions extends JsonOption {
  projectId?: string;
  orgId?: string;
  orgScope?: boolean;
}

interface CreateOptions extends ScopeOptions {
  name: string;
  expiresAt?: string;
}

interface IdOption extends JsonOption {
  id: string;
}

type Scope = { project_id: string } | { org_id: string };

/**
 * The key's scope: the organization with --org-scope (--org-id or the current one), else
 * the project (--project-id or the current one).
 */
export function accessKeyScope(
  options: ScopeOptions,
  current: { orgId?: string; projectId?: string },
): Scope {
  if (options.orgScope) {
    if (options.projectId !== undefined) {
      throw new UsageError('--org-scope makes a key for every project: not with --project-id');
    }
    const orgId = options.orgId ?? current.orgId;
    if (!orgId) {
      throw new UsageError(
        'no organization selected: pass --org-id or run `slipway org set --id ORG_ID`',
      );
    }
    return { org_id: orgId };
  }
  if (options.orgId !== undefined) {
    throw new UsageError('--org-id is for an org-scoped key: add --org-scope');
  }
  const projectId = options.projectId ?? current.projectId;
  if (!projectId) {
    throw new UsageError(
      'no project selected: pass --project-id, --org-scope, or run `slipway project set --id PROJECT_ID`',
    );
  }
  return { project_id: projectId };
}

function scopeOf(key: Schemas['AccessKeyView']): string {
  return key.scope === 'project' ? `project ${key.project_id ?? ''}` : `org ${key.org_id}`;
}

function keyFields(key: Schemas['AccessKeyView'], color: boolean): [string, string | null][] {
  return [
    ['id', key.id],
    ['name', key.name],
    ['scope', scopeOf(key)],
    ['status', paintStatus(key.status, color)],
    ['expires', key.expires_at],
  ];
}

function listQuery(api: Api, options: ScopeOptions): { org_id?: string; project_id?: string } {
  if (options.projectId !== undefined) return { project_id: options.projectId };
  if (options.orgId !== undefined) return { org_id: options.orgId };
  return api.settings.orgId ? { org_id: api.settings.orgId } : {};
}

export function registerAccessKeys(program: Command): void {
  const accessKey = group(
    program,
    'access-key',
    'Create, list and revoke the Access Keys that call private services',
    [
      'slipway access-key create --name frontend',
      'slipway access-key create --name ci --org-scope',
      'slipway access-key revoke --id ACCESS_KEY_ID',
    ],
  );

  const create = leaf(
    accessKey,
    'create',
    'Create an Access Key for the current project, or the whole organization; prints it once',
    'slipway access-key create --name frontend --project-id PROJECT_ID',
    'The key is shown only now: store it where the caller reads it. Send it as "Authorization: Bearer <key>".',
  )
    .requiredOption('--name <name>', 'what the key is for')
    .option('--project-id <id>', 'valid for this project (default: the current one)')
    .option('--org-scope', 'valid for every project of the organization')
    .option('--org-id <id>', 'with --org-scope: the organization (default: the current one)')
    .option('--expires-at <time>', 'ISO 8601 time after which the key stops working');
  handle<CreateOptions>(create, async (options, output, connect) => {
    const api = await connect();
    const { data: created } = await call(
      api,
      api.client.POST('/v1/access-keys', {
        params: { header: idempotencyKey() },
        body: {
          name: options.name,
          ...accessKeyScope(options, api.settings),
          ...(options.expiresAt !== undefined && { expires_at: options.expiresAt }),
        },
      }),
    );
    output.result(created, () =>
      formatFields([
        ...keyFields(created, output.color),
        ['key', created.key],
        ['note', 'shown only now: store it'],
      ]),
    );
  });

  const list = leaf(
    accessKey,
    'list',
    'List Access Keys (of the current organization unless filtered); keys themselves are never shown',
    'slipway access-key list --project-id PROJECT_ID',
  )
    .option('--project-id <id>', "only this project's keys")
    .option('--org-id <id>', "only this organization's keys");
  handle<ScopeOptions>(list, async (options, output, connect) => {
    const api = await connect();
    const query = listQuery(api, options);
    const keys = await listAll((page) =>
      call(
        api,
        api.client.GET('/v1/access-keys', { params: { query: { ...query, page, per_page: 100 } } }),
      ),
    );
    output.result(keys, () =>
      formatTable(
        ['id', 'name', 'scope', 'status', 'key', 'created', 'expires'],
        keys.map((k) => [
          k.id,
          k.name,
          scopeOf(k),
          paintStatus(k.status, output.color),
          `${k.prefix}…${k.last_four}`,
          k.created_at,
          k.expires_at,
        ]),
      ),
    );
  });

  const revoke = leaf(
    accessKey,
    'revoke',
    'Revoke an Access Key: requests carrying it are refused from now on',
    'slipway access-key revoke --id ACCESS_KEY_ID',
  ).requiredOption('--id <id>', 'the access key id');
  handle<IdOption>(revoke, async (options, output, connect) => {
    const api = await connect();
    const { data: revoked } = await call(
      api,
      api.client.DELETE('/v1/access-keys/{id}', { params: { path: { id: options.id } } }),
    );
    output.result(revoked, () => `Revoked access key ${revoked.name} (${revoked.id})\n`);
  });
}
