/**
 * `slipway iac` against the API: reads what a stack owns (by its labels), and creates,
 * updates and deletes resources, following deployments to their outcome.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import {
  IacError,
  SECRET_ENV_LABEL,
  STACK_LABEL,
  type ActualResource,
  type AttributeChange,
  type Backend,
  type Comparable,
  type Created,
  type DeclaredResource,
  type ResourceType,
  type ServiceConfig,
  type Value,
} from '@slipway/iac';
import { packSource } from '../bundle';
import { call, idempotencyKey, listAll, sleep, type Api, type Schemas } from '../client';
import { deploymentFailure, followDeployment, followOperation } from '../follow';
import { type Output } from '../output';
import { streamBuildLog, uploadSource } from '../upload';
import {
  accessKeyResource,
  addressOf,
  deploySettings,
  DEPLOYMENT_ATTRIBUTES,
  newSalt,
  ownershipLabels,
  profileResource,
  projectResource,
  saltOf,
  secretEnvDigest,
  serviceResource,
  userLabels,
  type SecretEnvState,
} from './attributes';

const DELETE_TIMEOUT_MS = 120_000;

export class SlipwayBackend implements Backend {
  private profiles: Schemas['ResourceProfileView'][] | undefined;

  constructor(
    private readonly api: Api,
    private readonly output: Output,
    private readonly stack: string,
    /** Where projects and org keys go when they name no org, and where owned resources are looked up. */
    readonly orgId: string,
    /** The directory of the synthesized stack: source paths are relative to it. */
    private readonly stackDir: string,
  ) {}

  // ---- reading ---------------------------------------------------------------------------

  /** Every resource the API keeps labelled as this stack's, by address. */
  async owned(): Promise<Map<string, ActualResource>> {
    const label = [`${STACK_LABEL}=${this.stack}`];
    const query = { org_id: this.orgId, label, per_page: 100 };
    const { client } = this.api;
    const found = new Map<string, ActualResource>();
    const keep = (
      type: ResourceType,
      labels: Record<string, string> | undefined,
      make: (a: string) => ActualResource,
    ) => {
      const address = addressOf(type, labels);
      if (address) found.set(address, make(address));
    };
    const projects = await listAll((page) =>
      call(this.api, client.GET('/v1/projects', { params: { query: { ...query, page } } })),
    );
    for (const p of projects) keep('slipway_project', p.labels, (a) => projectResource(p, a));
    const profiles = await listAll((page) =>
      call(
        this.api,
        client.GET('/v1/resource-profiles', { params: { query: { label, per_page: 100, page } } }),
      ),
    );
    for (const p of profiles)
      keep('slipway_resource_profile', p.labels, (a) => profileResource(p, a));
    const services = await listAll((page) =>
      call(this.api, client.GET('/v1/services', { params: { query: { ...query, page } } })),
    );
    for (const s of services) {
      const address = addressOf('slipway_service', s.labels);
      if (address) found.set(address, await this.serviceResource(s, address));
    }
    const keys = await listAll((page) =>
      call(this.api, client.GET('/v1/access-keys', { params: { query: { ...query, page } } })),
    );
    for (const k of keys) keep('slipway_access_key', k.labels, (a) => accessKeyResource(k, a));
    return found;
  }

  private async serviceResource(
    service: Schemas['ServiceView'],
    address: string,
  ): Promise<ActualResource> {
    const { data: status } = await call(
      this.api,
      this.api.client.GET('/v1/services/{id}/status', { params: { path: { id: service.id } } }),
    );
    if (!status.live_deployment_id) return serviceResource(service, address, undefined);
    const { data: deployment } = await call(
      this.api,
      this.api.client.GET('/v1/services/{id}/deployments/{deployment_id}', {
        params: { path: { id: service.id, deployment_id: status.live_deployment_id } },
      }),
    );
    const profileId = deployment.resource_profile_id;
    const profileName = profileId
      ? (await this.allProfiles()).find((p) => p.id === profileId)?.name
      : undefined;
    return serviceResource(service, address, { deployment, profileName });
  }

  private async allProfiles(): Promise<Schemas['ResourceProfileView'][]> {
    this.profiles ??= await listAll((page) =>
      call(
        this.api,
        this.api.client.GET('/v1/resource-profiles', {
          params: { query: { per_page: 100, page } },
        }),
      ),
    );
    return this.profiles;
  }

  private async profileId(name: string | undefined): Promise<string | undefined> {
    if (name === undefined) return undefined;
    this.profiles = undefined; // one declared in this apply may have just been created
    const profile = (await this.allProfiles()).find((p) => p.name === name);
    if (!profile)
      throw new IacError(
        `no resource profile named "${name}" (slipway resource-profile list shows them)`,
      );
    return profile.id;
  }

  /** Declared values in the shape the API's are compared in: sources packed, secrets digested. */
  readonly comparable: Comparable = async (declared, resolved, actual) => {
    if (declared.type !== 'slipway_service') return resolved;
    const wanted: Record<string, Value> = { ...resolved };
    const source = resolved.source as ServiceConfig['source'];
    if (source)
      wanted.source = {
        sha256: await this.sourceDigest(source),
        dockerfile: source.dockerfile,
        context: source.context,
      };
    const secrets = resolved.secret_env as Record<string, string> | undefined;
    if (secrets) {
      const state: SecretEnvState = {
        names: Object.keys(secrets).sort(),
        digest: secretEnvDigest(saltOf(actual) ?? newSalt(), secrets),
      };
      wanted.secret_env = state;
    }
    return wanted;
  };

  private async sourceDigest(source: NonNullable<ServiceConfig['source']>): Promise<string> {
    const packed = await this.pack(source);
    try {
      return createHash('sha256')
        .update(await readFile(packed.file))
        .digest('hex');
    } finally {
      await packed.dispose();
    }
  }

  private pack(source: NonNullable<ServiceConfig['source']>) {
    return packSource({
      dir: resolvePath(this.stackDir, source.path),
      dockerFile: source.dockerfile,
      dockerContext: source.context,
    });
  }

  // ---- writing ---------------------------------------------------------------------------

  async create(declared: DeclaredResource, resolved: Record<string, Value>): Promise<Created> {
    const labels = {
      ...(resolved.labels as Record<string, string> | undefined),
      ...ownershipLabels(this.stack, declared.address),
    };
    const { client } = this.api;
    const headers = idempotencyKey();
    switch (declared.type) {
      case 'slipway_project': {
        const c = resolved as typeof declared.config;
        const { data } = await call(
          this.api,
          client.POST('/v1/projects', {
            body: {
              org_id: c.org_id ?? this.orgId,
              name: c.name,
              description: c.description,
              labels,
            },
          }),
        );
        return { resource: projectResource(data, declared.address) };
      }
      case 'slipway_resource_profile': {
        const c = resolved as typeof declared.config;
        const { data } = await call(
          this.api,
          client.POST('/v1/resource-profiles', {
            body: {
              name: c.name,
              description: c.description,
              cpu: c.cpu,
              memory: c.memory,
              gpu_type: c.gpu_type as never,
              gpu_count: c.gpu_count,
              labels,
            },
          }),
        );
        return { resource: profileResource(data, declared.address) };
      }
      case 'slipway_access_key': {
        const c = resolved as typeof declared.config;
        const { data } = await call(
          this.api,
          client.POST('/v1/access-keys', {
            params: { header: headers },
            body: {
              name: c.name,
              ...(c.scope === 'org'
                ? { org_id: c.org_id ?? this.orgId }
                : { project_id: c.project_id }),
              labels,
            },
          }),
        );
        return { resource: accessKeyResource(data, declared.address), outputs: { key: data.key } };
      }
      case 'slipway_service': {
        const c = resolved as ServiceConfig;
        const { data } = await call(
          this.api,
          client.POST('/v1/services', {
            params: { header: headers },
            body: {
              project_id: c.project_id,
              name: c.name,
              description: c.description,
              category: c.category,
              ...(c.access_type && { access_control: { access_type: c.access_type } }),
              labels,
            },
          }),
        );
        const created = serviceResource(data, declared.address, undefined);
        return { resource: await this.update(declared, resolved, created, []) };
      }
    }
  }

  async update(
    declared: DeclaredResource,
    resolved: Record<string, Value>,
    actual: ActualResource,
    changes: readonly AttributeChange[],
  ): Promise<ActualResource> {
    const changed = new Set(changes.map((c) => c.name));
    const { client } = this.api;
    const labels = {
      ...userLabels(actual.attributes.labels as Record<string, string>),
      ...(resolved.labels as Record<string, string> | undefined),
      ...ownershipLabels(this.stack, declared.address),
    };
    switch (declared.type) {
      case 'slipway_project': {
        const c = resolved as typeof declared.config;
        const { data } = await call(
          this.api,
          client.PATCH('/v1/projects/{id}', {
            params: { path: { id: actual.id } },
            body: { name: c.name, description: c.description, labels },
          }),
        );
        return projectResource(data, declared.address);
      }
      case 'slipway_resource_profile': {
        const c = resolved as typeof declared.config;
        const { data } = await call(
          this.api,
          client.PATCH('/v1/resource-profiles/{id}', {
            params: { path: { id: actual.id } },
            body: { description: c.description, labels },
          }),
        );
        return profileResource(data, declared.address);
      }
      case 'slipway_access_key':
        throw new IacError('access keys cannot change in place');
      case 'slipway_service':
        return this.updateService(
          declared.address,
          resolved as ServiceConfig,
          actual,
          changed,
          labels,
        );
    }
  }

  /** Service fields with PUT, then a deployment when what runs changes, then the instance count. */
  private async updateService(
    address: string,
    c: ServiceConfig,
    actual: ActualResource,
    changed: ReadonlySet<string>,
    labels: Record<string, string>,
  ): Promise<ActualResource> {
    const fresh = actual.computed.deployment_id === undefined;
    const deploy = fresh || [...changed].some((name) => DEPLOYMENT_ATTRIBUTES.has(name));
    const secrets = c.secret_env;
    if (secrets) labels[SECRET_ENV_LABEL] = secretEnvDigest(saltOf(actual) ?? newSalt(), secrets);
    else delete labels[SECRET_ENV_LABEL];
    const { client } = this.api;
    const id = actual.id;
    if (deploy) await this.deploy(address, id, c);
    const { data: service } = await call(
      this.api,
      client.PUT('/v1/services/{id}', {
        params: { path: { id } },
        body: {
          description: c.description,
          category: c.category,
          ...(c.access_type && { access_control: { access_type: c.access_type } }),
          ...(c.domains && { domains: c.domains }),
          ...(c.min_instances !== undefined && { min_replicas: c.min_instances }),
          ...(c.max_instances !== undefined && { max_replicas: c.max_instances }),
          labels,
        },
      }),
    );
    let current = await this.serviceResource(service, address);
    if (c.instances !== undefined && current.attributes.instances !== c.instances) {
      const { data: operation } = await call(
        this.api,
        client.POST('/v1/services/{id}/scale', {
          params: { path: { id }, header: idempotencyKey() },
          body: { instances: c.instances },
        }),
      );
      await followOperation(this.api, this.output, operation);
      current = await this.serviceResource(service, address);
    }
    return current;
  }

  private async deploy(address: string, id: string, c: ServiceConfig): Promise<void> {
    const settings = deploySettings(c, await this.profileId(c.resource_profile));
    const headers = idempotencyKey();
    let started: Schemas['DeploymentView'];
    if (c.source) {
      const packed = await this.pack(c.source);
      try {
        started = await uploadSource(this.api, this.output, id, headers, packed, {
          ...settings,
          docker: { file: c.source.dockerfile, context: c.source.context },
        });
      } finally {
        await packed.dispose();
      }
    } else {
      ({ data: started } = await call(
        this.api,
        this.api.client.POST('/v1/services/{id}/deploy', {
          params: { path: { id }, header: headers },
          body: { ...settings, image: c.image ?? '' },
        }),
      ));
    }
    this.output.progress(`${address}: deployment ${started.id} started`);
    if (started.status === 'building') await streamBuildLog(this.api, this.output, started);
    const ended = await followDeployment(this.api, this.output, started);
    if (ended.status !== 'succeeded') throw deploymentFailure(ended);
  }

  async delete(actual: ActualResource): Promise<void> {
    const { client } = this.api;
    const path = { params: { path: { id: actual.id } } };
    switch (actual.type) {
      case 'slipway_project':
        await call(this.api, client.DELETE('/v1/projects/{id}', path));
        return;
      case 'slipway_resource_profile':
        await call(this.api, client.DELETE('/v1/resource-profiles/{id}', path));
        return;
      case 'slipway_access_key':
        await call(this.api, client.DELETE('/v1/access-keys/{id}', path));
        return;
      case 'slipway_service':
        await call(this.api, client.DELETE('/v1/services/{id}', path));
        return this.gone(actual.id);
    }
  }

  /** Deleting a service is a job: wait until the API no longer has it. */
  private async gone(id: string): Promise<void> {
    const deadline = Date.now() + DELETE_TIMEOUT_MS;
    while (Date.now() < deadline) {
      const { response } = await this.api.client.GET('/v1/services/{id}', {
        params: { path: { id } },
      });
      if (response.status === 404) return;
      await sleep(500);
    }
    throw new IacError(`service ${id} is still being deleted after ${DELETE_TIMEOUT_MS / 1000} s`);
  }

  /** Adopts an existing resource: it gets the stack's labels; the next plan shows what differs. */
  async adopt(declared: DeclaredResource, id: string): Promise<ActualResource> {
    const { client } = this.api;
    const owner = (labels: Record<string, string> | undefined) => {
      const stack = labels?.[STACK_LABEL];
      if (stack && stack !== this.stack)
        throw new IacError(`${id} already belongs to stack "${stack}"`);
      return { ...labels, ...ownershipLabels(this.stack, declared.address) };
    };
    const path = { params: { path: { id } } };
    switch (declared.type) {
      case 'slipway_project': {
        const { data } = await call(this.api, client.GET('/v1/projects/{id}', path));
        const updated = await call(
          this.api,
          client.PATCH('/v1/projects/{id}', { ...path, body: { labels: owner(data.labels) } }),
        );
        return projectResource(updated.data, declared.address);
      }
      case 'slipway_resource_profile': {
        const { data } = await call(this.api, client.GET('/v1/resource-profiles/{id}', path));
        const updated = await call(
          this.api,
          client.PATCH('/v1/resource-profiles/{id}', {
            ...path,
            body: { labels: owner(data.labels) },
          }),
        );
        return profileResource(updated.data, declared.address);
      }
      case 'slipway_service': {
        const { data } = await call(this.api, client.GET('/v1/services/{id}', path));
        const updated = await call(
          this.api,
          client.PUT('/v1/services/{id}', { ...path, body: { labels: owner(data.labels) } }),
        );
        return this.serviceResource(updated.data, declared.address);
      }
      case 'slipway_access_key':
        throw new IacError(
          `${declared.address}: an access key cannot be imported (its key cannot be read back); let the stack create a new one and delete the old`,
        );
    }
  }
}
