import { call, type Api } from './client';
import type {
  DeploymentView,
  MemberView,
  OrgView,
  ProjectView,
  ServiceView,
  SessionView,
} from './types';

/** Exchanges a Personal Access Token for the session cookie; keeps only the CSRF token. */
export async function openSession(api: Api, token: string): Promise<SessionView> {
  const { data } = await call(api.client.POST('/v1/sessions', { body: { token } }));
  api.csrf.set(data.csrf_token);
  return data;
}

/** The session this page has, if any; its CSRF token too (a tab opened later has none yet). */
export async function currentSession(api: Api): Promise<SessionView> {
  const { data } = await call(api.client.GET('/v1/sessions/current'));
  if (data.csrf_token !== undefined) api.csrf.set(data.csrf_token);
  return data;
}

export async function closeSession(api: Api): Promise<void> {
  await call(api.client.DELETE('/v1/sessions/current'));
  api.csrf.set(undefined);
}

export async function listOrgs(api: Api): Promise<OrgView[]> {
  return (await call(api.client.GET('/v1/orgs', { params: { query: { per_page: 100 } } }))).data;
}

/** Everyone in an organization, every page of it. */
export async function listMembers(api: Api, orgId: string): Promise<MemberView[]> {
  const members: MemberView[] = [];
  for (let page = 1; ; page += 1) {
    const params = { path: { id: orgId }, query: { page, per_page: 100 } };
    const answer = await call(api.client.GET('/v1/orgs/{id}/members', { params }));
    members.push(...answer.data);
    if (page >= answer.pagination.total_pages || answer.data.length === 0) return members;
  }
}

export async function listProjects(api: Api, orgId: string): Promise<ProjectView[]> {
  const query = { org_id: orgId, per_page: 100 };
  return (await call(api.client.GET('/v1/projects', { params: { query } }))).data;
}

export interface ServicePage {
  services: ServiceView[];
  total: number;
}

export async function listServices(api: Api, projectId: string): Promise<ServicePage> {
  const query = { project_id: projectId, per_page: 100 };
  const answer = await call(api.client.GET('/v1/services', { params: { query } }));
  return { services: answer.data, total: answer.pagination.total };
}

export async function getService(api: Api, id: string): Promise<ServiceView> {
  const params = { path: { id } };
  return (await call(api.client.GET('/v1/services/{id}', { params }))).data;
}

export interface DeploymentPage {
  deployments: DeploymentView[];
  total: number;
}

/** Newest first. */
export async function listDeployments(
  api: Api,
  serviceId: string,
  perPage: number,
): Promise<DeploymentPage> {
  const params = { path: { id: serviceId }, query: { per_page: perPage } };
  const answer = await call(api.client.GET('/v1/services/{id}/deployments', { params }));
  return { deployments: answer.data, total: answer.pagination.total };
}

/**
 * A retry-safe key for one user action: the API answers a repeat of the same request with
 * the first answer instead of starting a second deployment. Made with getRandomValues, which
 * (unlike randomUUID) also works on a plain-HTTP self-hosted install.
 */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Deploys the current image and settings again; answers the new deployment. */
export async function redeploy(
  api: Api,
  serviceId: string,
  idempotencyKey: string,
): Promise<DeploymentView> {
  const params = { path: { id: serviceId }, header: { 'Idempotency-Key': idempotencyKey } };
  return (await call(api.client.POST('/v1/services/{id}/redeploy', { params }))).data;
}

/** Restores an earlier deployment's image and whole configuration as a new deployment. */
export async function rollback(
  api: Api,
  serviceId: string,
  deploymentId: string,
  idempotencyKey: string,
): Promise<DeploymentView> {
  const params = { path: { id: serviceId }, header: { 'Idempotency-Key': idempotencyKey } };
  const body = { deployment_id: deploymentId };
  return (await call(api.client.POST('/v1/services/{id}/rollback', { params, body }))).data;
}
