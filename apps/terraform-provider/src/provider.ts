/**
 * The provider's RPCs (Terraform's plugin protocol 6): schemas, validation, plan, apply,
 * refresh, import and data sources, over the same backend `slipway iac` applies with.
 */
import { call, listAll, type Schemas } from '@slipway/cli';
import {
  diff,
  IacError,
  RESOURCE_TYPES,
  type ActualResource,
  type ResourceType,
} from '@slipway/iac';
import { connect, type Connection } from './connection';
import { errorDiagnostic, type Diagnostic } from './diagnostics';
import { readDataSource } from './resources/data-sources';
import { planChange } from './resources/plan';
import { appliedState, declaredFrom, importedState, refreshedState } from './resources/state';
import { validateResource } from './resources/validate';
import { DATA_SOURCE_SCHEMAS, PROVIDER_SCHEMA, type DataSourceType } from './schema/provider';
import { schemaMessage } from './schema/proto';
import { RESOURCE_BLOCKS } from './schema/resources';
import { type Block } from './wire/types';
import {
  containsUnknown,
  decodeJsonObject,
  decodeObject,
  encodeObject,
  textOf,
  type DynamicValue,
  type ObjectValue,
} from './wire/values';

type Request = Record<string, unknown> & { type_name?: string };
type Reply = Record<string, unknown>;
export type Handler = (request: Request) => Promise<Reply>;
type Rpc = (request: Request) => Reply | Promise<Reply>;

const isResourceType = (name: unknown): name is ResourceType =>
  RESOURCE_TYPES.includes(name as ResourceType);
const isDataSourceType = (name: unknown): name is DataSourceType =>
  typeof name === 'string' && name in DATA_SOURCE_SCHEMAS;

const unknownDataSource = (name: unknown) =>
  new IacError(
    `no data source ${String(name)}: there are ${Object.keys(DATA_SOURCE_SCHEMAS).join(' and ')}`,
  );

/** A thrown error as the diagnostic Terraform shows (its message is written for users). */
function failure(summary: string, error: unknown): { diagnostics: Diagnostic[] } {
  return { diagnostics: [errorDiagnostic(summary, (error as Error).message)] };
}

/** An apply that failed after creating something the state must keep. */
class PartialApply extends Error {
  constructor(
    readonly state: ObjectValue,
    override readonly cause: unknown,
  ) {
    super((cause as Error).message);
  }
}

export class SlipwayProvider {
  private connection: Connection | undefined;

  constructor(
    private readonly env: NodeJS.ProcessEnv = process.env,
    /** Relative source paths resolve here: Terraform runs providers in the configuration's directory. */
    private readonly workdir: string = process.cwd(),
  ) {}

  private connected(): Connection {
    if (!this.connection) throw new IacError('the provider was not configured');
    return this.connection;
  }

  private resourceType(request: Request): ResourceType {
    if (!isResourceType(request.type_name))
      throw new IacError(`unknown resource type ${String(request.type_name)}`);
    return request.type_name;
  }

  private actual(type: ResourceType, state: ObjectValue): Promise<ActualResource | undefined> {
    return this.connected().state.read(type, textOf(state.id), `${type}.${textOf(state.name)}`);
  }

  /** Every RPC; a failure is answered as an error diagnostic, never as a broken call. */
  get handlers(): Record<string, Handler> {
    return Object.fromEntries(
      Object.entries(this.rpcs).map(([name, rpc]) => [
        name,
        async (request: Request) => {
          try {
            return await rpc(request);
          } catch (error) {
            return failure(name, error);
          }
        },
      ]),
    );
  }

  private readonly rpcs: Record<string, Rpc> = {
    GetMetadata: () => ({
      server_capabilities: {},
      resources: RESOURCE_TYPES.map((type_name) => ({ type_name })),
      data_sources: Object.keys(DATA_SOURCE_SCHEMAS).map((type_name) => ({ type_name })),
    }),

    GetProviderSchema: () => ({
      provider: schemaMessage(PROVIDER_SCHEMA, 'Slipway: services, projects and keys as code.'),
      resource_schemas: Object.fromEntries(
        RESOURCE_TYPES.map((type) => [type, schemaMessage(RESOURCE_BLOCKS[type], type)]),
      ),
      data_source_schemas: Object.fromEntries(
        Object.entries(DATA_SOURCE_SCHEMAS).map(([type, block]) => [
          type,
          schemaMessage(block, type),
        ]),
      ),
      server_capabilities: {},
    }),

    ValidateProviderConfig: (request) => {
      const config = decodeObject(PROVIDER_SCHEMA, request.config as DynamicValue);
      const url = config?.api_url;
      if (typeof url === 'string' && !/^https?:\/\/[^/]+/.test(url))
        return {
          diagnostics: [
            errorDiagnostic('Invalid provider configuration', 'api_url must be an http(s) URL', {
              block: PROVIDER_SCHEMA,
              path: ['api_url'],
            }),
          ],
        };
      return { diagnostics: [] };
    },

    ConfigureProvider: async (request) => {
      const config = decodeObject(PROVIDER_SCHEMA, request.config as DynamicValue) ?? {};
      if (containsUnknown(config))
        return failure(
          'Provider configuration unknown',
          new Error('api_url, token and org_id must be known when planning'),
        );
      try {
        this.connection = await connect(config, this.env, this.workdir);
        return { diagnostics: [] };
      } catch (error) {
        return failure('Cannot configure the Slipway provider', error);
      }
    },

    ValidateResourceConfig: (request) => {
      const type = this.resourceType(request);
      const config = decodeObject(RESOURCE_BLOCKS[type], request.config as DynamicValue);
      return { diagnostics: config ? validateResource(type, config) : [] };
    },

    ValidateDataResourceConfig: (request) => {
      if (!isDataSourceType(request.type_name))
        return failure('Unknown data source', unknownDataSource(request.type_name));
      return { diagnostics: [] };
    },

    UpgradeResourceState: (request) => {
      const type = this.resourceType(request);
      const raw = request.raw_state as { json?: Uint8Array } | undefined;
      if (!raw?.json?.length)
        return failure('Cannot upgrade state', new Error('only JSON state is supported'));
      // Schema version 0 is the only one so far: the stored JSON already has today's shape.
      const block = RESOURCE_BLOCKS[type];
      return {
        upgraded_state: encodeObject(block, decodeJsonObject(block, raw.json)),
        diagnostics: [],
      };
    },

    ReadResource: async (request) => {
      const type = this.resourceType(request);
      const block = RESOURCE_BLOCKS[type];
      const current = decodeObject(block, request.current_state as DynamicValue);
      if (!current) return { new_state: encodeObject(block, null), diagnostics: [] };
      try {
        const actual = await this.actual(type, current);
        // Gone from the API: Terraform drops it from state and plans to create it again.
        const next = actual ? refreshedState(type, current, actual) : null;
        return { new_state: encodeObject(block, next), private: request.private, diagnostics: [] };
      } catch (error) {
        return failure(`Cannot read ${type} ${textOf(current.id)}`, error);
      }
    },

    PlanResourceChange: async (request) => {
      const type = this.resourceType(request);
      const block = RESOURCE_BLOCKS[type];
      const prior = decodeObject(block, request.prior_state as DynamicValue);
      const proposed = decodeObject(block, request.proposed_new_state as DynamicValue);
      try {
        const { planned, requiresReplace } = await planChange(type, prior, proposed, (source) =>
          this.connected().backend.sourceDigest(source as never),
        );
        return {
          planned_state: encodeObject(block, planned),
          requires_replace: requiresReplace.map((name) => ({ steps: [{ attribute_name: name }] })),
          planned_private: request.prior_private,
          diagnostics: [],
        };
      } catch (error) {
        return failure(`Cannot plan ${type}`, error);
      }
    },

    ApplyResourceChange: async (request) => {
      const type = this.resourceType(request);
      const block = RESOURCE_BLOCKS[type];
      const prior = decodeObject(block, request.prior_state as DynamicValue);
      const planned = decodeObject(block, request.planned_state as DynamicValue);
      const config = decodeObject(block, request.config as DynamicValue);
      try {
        const next = await this.apply(type, prior, planned, config);
        return { new_state: encodeObject(block, next), private: Buffer.alloc(0), diagnostics: [] };
      } catch (error) {
        // A failure part-way: what exists is kept in state so the next apply completes it.
        return {
          new_state: encodeObject(block, error instanceof PartialApply ? error.state : prior),
          ...failure(`Cannot apply ${type}`, error instanceof PartialApply ? error.cause : error),
        };
      }
    },

    ImportResourceState: async (request) => {
      const type = this.resourceType(request);
      const id = String(request.id);
      try {
        if (type === 'slipway_access_key')
          throw new IacError(
            'an access key cannot be imported (its key cannot be read back); let Terraform create a new one and delete the old',
          );
        const actual = await this.connected().state.read(type, id, `${type}.imported`);
        if (!actual) throw new IacError(`no ${type} with id ${id}`);
        return {
          imported_resources: [
            {
              type_name: type,
              state: encodeObject(RESOURCE_BLOCKS[type], importedState(type, actual)),
            },
          ],
          diagnostics: [],
        };
      } catch (error) {
        return failure(`Cannot import ${type}`, error);
      }
    },

    ReadDataSource: async (request) => {
      if (!isDataSourceType(request.type_name))
        return failure('Unknown data source', unknownDataSource(request.type_name));
      const type = request.type_name;
      const block: Block = DATA_SOURCE_SCHEMAS[type];
      try {
        const config = decodeObject(block, request.config as DynamicValue) ?? {};
        const state = await readDataSource(this.connected(), type, config);
        return { state: encodeObject(block, state), diagnostics: [] };
      } catch (error) {
        return failure(`Cannot read data source ${type}`, error);
      }
    },

    StopProvider: () => ({ Error: '' }),
  };

  private async apply(
    type: ResourceType,
    prior: ObjectValue | null,
    planned: ObjectValue | null,
    config: ObjectValue | null,
  ): Promise<ObjectValue | null> {
    const { backend } = this.connected();
    if (planned === null) {
      if (prior === null) return null;
      const actual = await this.actual(type, prior);
      if (actual) await backend.delete(actual);
      return null;
    }
    const declared = declaredFrom(type, config ?? planned);
    if (prior === null) {
      try {
        const created = await backend.create(declared, declared.config);
        return appliedState(type, planned, created.resource, created.outputs);
      } catch (error) {
        // A service whose first deployment failed exists: Terraform keeps it as tainted
        // and replaces it on the next apply, instead of forgetting it.
        const leftover = await this.createdService(type, declared.config).catch(() => undefined);
        if (leftover) throw new PartialApply(appliedState(type, planned, leftover), error);
        throw error;
      }
    }
    const actual = await this.actual(type, prior);
    if (!actual)
      throw new IacError(`${type} ${textOf(prior.id)} no longer exists: refresh and plan again`);
    const wanted = await backend.comparable(declared, declared.config, actual);
    const updated = await backend.update(
      declared,
      declared.config,
      actual,
      diff(type, wanted, actual),
    );
    return appliedState(type, planned, updated);
  }

  private async createdService(
    type: ResourceType,
    config: Record<string, unknown>,
  ): Promise<ActualResource | undefined> {
    if (type !== 'slipway_service') return undefined;
    const { api, state } = this.connected();
    const services = await listAll<Schemas['ServiceView']>((page) =>
      call(
        api,
        api.client.GET('/v1/services', {
          params: { query: { project_id: String(config.project_id), per_page: 100, page } },
        }),
      ),
    );
    const service = services.find((s) => s.name === config.name);
    return service && state.serviceResource(service, `${type}.${service.name}`);
  }
}
