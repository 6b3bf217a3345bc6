import { call, type Api } from './client';
import type { ServiceOperationView, ServiceStatusView } from './types';

/**
 * Sets the number of instances (0 pauses the service). Accepted at once: the answer is the
 * operation, which `getServiceStatus` follows until it ends.
 */
export async function scaleService(
  api: Api,
  serviceId: string,
  instances: number,
  idempotencyKey: string,
): Promise<ServiceOperationView> {
  const params = { path: { id: serviceId }, header: { 'Idempotency-Key': idempotencyKey } };
  const body = { instances };
  return (await call(api.client.POST('/v1/services/{id}/scale', { params, body }))).data;
}

/** Replaces every instance, each replacement ready before the one it replaces leaves. */
export async function restartService(
  api: Api,
  serviceId: string,
  idempotencyKey: string,
): Promise<ServiceOperationView> {
  const params = { path: { id: serviceId }, header: { 'Idempotency-Key': idempotencyKey } };
  return (await call(api.client.POST('/v1/services/{id}/restart', { params }))).data;
}

/** Instance counts, the rollout in progress, and the scale or restart in progress (or the last). */
export async function getServiceStatus(
  api: Api,
  serviceId: string,
  signal?: AbortSignal,
): Promise<ServiceStatusView> {
  const params = { path: { id: serviceId } };
  return (await call(api.client.GET('/v1/services/{id}/status', { params, signal }))).data;
}
