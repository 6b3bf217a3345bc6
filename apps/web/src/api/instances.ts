import { call, type Api } from './client';
import type { PodView } from './types';

/** The service's instances as the runtime reports them (every one: the API does not page). */
export async function listPods(
  api: Api,
  serviceId: string,
  signal?: AbortSignal,
): Promise<PodView[]> {
  const params = { path: { id: serviceId } };
  return (await call(api.client.GET('/v1/services/{id}/pods', { params, signal }))).data;
}

/**
 * An instance's log as a byte stream: the last 1000 lines, then new ones as they are written,
 * until `signal` aborts or the API ends it (the instance stopped).
 */
export async function openPodLog(
  api: Api,
  serviceId: string,
  pod: string,
  signal: AbortSignal,
): Promise<ReadableStream<Uint8Array>> {
  const params = { path: { id: serviceId, pod }, query: { follow: true } };
  const answer = await call(
    api.client.GET('/v1/services/{id}/pods/{pod}/logs', { params, signal, parseAs: 'stream' }),
  );
  // A 200 without a body is an empty log that already ended.
  return answer ?? new ReadableStream({ start: (controller) => controller.close() });
}
