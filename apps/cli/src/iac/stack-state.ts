/**
 * What a stack owns, read from the API by its labels, in the attribute shape plans compare;
 * and adopting an existing resource into the stack (`slipway iac import`).
 */
import {
  IacError,
  STACK_LABEL,
  type ActualResource,
  type DeclaredResource,
  type ResourceType,
} from '@slipway/iac';
import { call, listAll, type Api, type Schemas } from '../client';
import {
  accessKeyResource,
  addressOf,
  ownershipLabels,
  profileResource,
  projectResource,
  serviceResource,
} from './attributes';

export class StackState {
  private profiles: Schemas['ResourceProfileView'][] | undefined;

  constructor(
    private readonly api: Api,
    private readonly stack: string,
    private readonly orgId: string,
  ) {}

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

  /** One resource by id, as plans compare it; undefined when the API no longer has it. */
  async read(type: ResourceType, id: string, address: string): Promise<ActualResource | undefined> {
    const { client } = this.api;
    const path = { params: { path: { id } } };
    const found = async <T>(
      request: Promise<{ data?: T; response: Response; error?: unknown }>,
    ) => {
      const answer = await request;
      return answer.response.status === 404 ? undefined : call(this.api, Promise.resolve(answer));
    };
    switch (type) {
      case 'slipway_project': {
        const data = await found(client.GET('/v1/projects/{id}', path));
        return data && projectResource(data.data, address);
      }
      case 'slipway_resource_profile': {
        const data = await found(client.GET('/v1/resource-profiles/{id}', path));
        return data && profileResource(data.data, address);
      }
      case 'slipway_access_key': {
        // Keys are listed (there is no route for one); a revoked or expired key is gone.
        const keys = await listAll((page) =>
          call(
            this.api,
            client.GET('/v1/access-keys', {
              params: { query: { org_id: this.orgId, per_page: 100, page } },
            }),
          ),
        );
        const key = keys.find((k) => k.id === id && k.status === 'active');
        return key && accessKeyResource(key, address);
      }
      case 'slipway_service': {
        const data = await found(client.GET('/v1/services/{id}', path));
        return data && this.serviceResource(data.data, address);
      }
    }
  }

  async serviceResource(service: Schemas['ServiceView'], address: string): Promise<ActualResource> {
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

  async profileId(name: string | undefined): Promise<string | undefined> {
    if (name === undefined) return undefined;
    this.profiles = undefined; // one declared in this apply may have just been created
    const profile = (await this.allProfiles()).find((p) => p.name === name);
    if (!profile)
      throw new IacError(
        `no resource profile named "${name}" (slipway resource-profile list shows them)`,
      );
    return profile.id;
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
