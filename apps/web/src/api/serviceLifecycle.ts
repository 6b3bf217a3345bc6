import { call, type Api } from './client';
import type {
  AccessType,
  DeploymentView,
  ImageDeployInput,
  ResourceProfileView,
  ServiceView,
} from './types';

export interface NewService {
  name: string;
  projectId: string;
  accessType: AccessType;
}

/** Creates a service (it gets its hostname now); nothing runs until it is deployed. */
export async function createService(
  api: Api,
  { name, projectId, accessType }: NewService,
  idempotencyKey: string,
): Promise<ServiceView> {
  const params = { header: { 'Idempotency-Key': idempotencyKey } };
  const body = { name, project_id: projectId, access_control: { access_type: accessType } };
  return (await call(api.client.POST('/v1/services', { params, body }))).data;
}

/** Deploys a prebuilt image; answers the new deployment (deploying). */
export async function deployImage(
  api: Api,
  serviceId: string,
  body: ImageDeployInput,
  idempotencyKey: string,
): Promise<DeploymentView> {
  const params = { path: { id: serviceId }, header: { 'Idempotency-Key': idempotencyKey } };
  return (await call(api.client.POST('/v1/services/{id}/deploy', { params, body }))).data;
}

/** Private: callers need an Access Key; public: anyone who knows the hostname. */
export async function changeAccessType(
  api: Api,
  serviceId: string,
  accessType: AccessType,
): Promise<ServiceView> {
  const params = { path: { id: serviceId } };
  const body = { access_control: { access_type: accessType } };
  return (await call(api.client.PUT('/v1/services/{id}', { params, body }))).data;
}

/**
 * Deletes the service with everything it has; answers once it is all gone. `force` kills the
 * instances at once instead of draining them.
 */
export async function deleteService(
  api: Api,
  serviceId: string,
  force: boolean,
): Promise<ServiceView> {
  const params = { path: { id: serviceId }, query: { force } };
  return (await call(api.client.DELETE('/v1/services/{id}', { params }))).data;
}

/** The sizes a service can be deployed with, in the operator's order. */
export async function listResourceProfiles(
  api: Api,
  signal?: AbortSignal,
): Promise<ResourceProfileView[]> {
  const query = { purpose: 'service' as const, per_page: 100 };
  const answer = await call(api.client.GET('/v1/resource-profiles', { params: { query }, signal }));
  return answer.data;
}
