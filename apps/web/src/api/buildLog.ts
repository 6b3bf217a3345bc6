import { call, type Api } from './client';

/**
 * A deployment's build log as a byte stream: the lines so far, then new ones until the build
 * ends or `signal` aborts. An image deployment answers one line saying it has no build.
 */
export async function openBuildLog(
  api: Api,
  serviceId: string,
  deploymentId: string,
  signal: AbortSignal,
): Promise<ReadableStream<Uint8Array>> {
  const params = { path: { id: serviceId, deployment_id: deploymentId }, query: { follow: true } };
  const answer = await call(
    api.client.GET('/v1/services/{id}/deployments/{deployment_id}/build-logs', {
      params,
      signal,
      parseAs: 'stream',
    }),
  );
  return answer ?? new ReadableStream({ start: (controller) => controller.close() });
}
