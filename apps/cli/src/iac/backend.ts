/**
 * `slipway iac` against the API: creates, updates and deletes a stack's resources (labelled
 * as the stack's as they are made), following deployments to their outcome.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import {
  autoscalingAsApplied,
  IacError,
  SECRET_ENV_LABEL,
  type ActualResource,
  type AttributeChange,
  type Backend,
  type Comparable,
  type Created,
  type DeclaredResource,
  type ServiceConfig,
  type Value,
} from '@slipway/iac';
import { packSource } from '../bundle';
import { call, idempotencyKey, sleep, type Api, type Schemas } from '../client';
import { deploymentFailure, followDeployment, followOperation } from '../follow';
import { type Output } from '../output';
import { streamBuildLog, uploadSource } from '../upload';
import {
  accessKeyResource,
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
import { StackState } from './stack-state';

const DELETE_TIMEOUT_MS = 120_000;

export class SlipwayBackend implements Backend {
  /** What the stack owns, as the API has it. */
  readonly state: StackState;

  constructor(
    private readonly api: Api,
    private readonly output: Output,
    private readonly stack: string,
    /** Where projects and org keys go when they name no org, and where owned resources are looked up. */
    private readonly orgId: string,
    /** The directory of the synthesized stack: source paths are relative to it. */
    private readonly stackDir: string,
    /** The labels that mark a resource as this stack's (the Terraform provider's state owns its own). */
    private readonly ownership: (address: string) => Record<string, string> = (address) =>
      ownershipLabels(stack, address),
  ) {
    this.state = new StackState(api, stack, orgId);
  }

  /** Declared values in the shape the API's are compared in: sources packed, secrets digested. */
  readonly comparable: Comparable = async (declared, resolved, actual) => {
    if (declared.type !== 'slipway_service') return resolved;
    const wanted: Record<string, Value> = { ...resolved };
    const autoscaling = resolved.autoscaling as ServiceConfig['autoscaling'];
    // Left out, the idle timeout is the API's default: the same, not a change.
    if (autoscaling) wanted.autoscaling = autoscalingAsApplied(autoscaling);
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

  /** The SHA-256 of the source directory as it would be uploaded (packing is deterministic). */
  async sourceDigest(source: NonNullable<ServiceConfig['source']>): Promise<string> {
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

  async create(declared: DeclaredResource, resolved: Record<string, Value>): Promise<Created> {
    const labels = {
      ...(resolved.labels as Record<string, string> | undefined),
      ...this.ownership(declared.address),
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
      ...this.ownership(declared.address),
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
          ...(c.tags && { tags: c.tags }),
          ...(c.min_instances !== undefined && { min_replicas: c.min_instances }),
          ...(c.max_instances !== undefined && { max_replicas: c.max_instances }),
          labels,
        },
      }),
    );
    let current = await this.state.serviceResource(service, address);
    if (c.instances !== undefined && current.attributes.instances !== c.instances) {
      const { data: operation } = await call(
        this.api,
        client.POST('/v1/services/{id}/scale', {
          params: { path: { id }, header: idempotencyKey() },
          body: { instances: c.instances },
        }),
      );
      await followOperation(this.api, this.output, operation);
      current = await this.state.serviceResource(service, address);
    }
    return current;
  }

  private async deploy(address: string, id: string, c: ServiceConfig): Promise<void> {
    const settings = deploySettings(c, await this.state.profileId(c.resource_profile));
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
}
