/**
 * Service-wide logs on the `kubernetes` runtime: each pod's app container log with the
 * kubelet's timestamps, and the log of its previous container when it restarted (the one
 * that crashed), read as streams so only the newest `limit` lines are ever held.
 */
import { PassThrough, type Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { Log, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { CONTAINER_CONTRACT } from '@slipway/k8s-spec';
import { kubernetesApiError, statusOf, type KubeClientOptions } from '@slipway/kube-client';
import type { ServiceLogLine, ServiceLogQuery } from '../runtime-driver';
import { ServiceLogCollector, floorSeconds, runtimeTail } from '../service-logs';

/** One container log to read: the current one, or the one the last restart replaced. */
export interface PodLogSource {
  readonly pod: string;
  readonly previous: boolean;
}

/** The logs `pods` have: each pod's current container, and its previous one after a restart. */
export function podLogSources(pods: readonly V1Pod[]): PodLogSource[] {
  return pods.flatMap((pod) => {
    const name = pod.metadata?.name;
    if (name === undefined) return [];
    const app = pod.status?.containerStatuses?.find(
      (status) => status.name === CONTAINER_CONTRACT.containerName,
    );
    const restarted = (app?.restartCount ?? 0) > 0;
    return restarted
      ? [
          { pod: name, previous: true },
          { pod: name, previous: false },
        ]
      : [{ pod: name, previous: false }];
  });
}

export async function readPodServiceLogs(
  kubeConfig: KubeConfig,
  client: KubeClientOptions,
  namespace: string,
  pods: readonly V1Pod[],
  query: ServiceLogQuery,
): Promise<ServiceLogLine[]> {
  const collector = new ServiceLogCollector(query);
  await Promise.all(
    podLogSources(pods).map((source) =>
      readPodLog(kubeConfig, client, namespace, source, query, collector),
    ),
  );
  return collector.lines();
}

async function readPodLog(
  kubeConfig: KubeConfig,
  client: KubeClientOptions,
  namespace: string,
  source: PodLogSource,
  query: ServiceLogQuery,
  collector: ServiceLogCollector,
): Promise<void> {
  const what = `read the ${source.previous ? 'previous ' : ''}logs of ${source.pod}`;
  const tail = runtimeTail(query);
  const body = new PassThrough();
  // client-node pipes the response body in but ignores its errors: pass them on, or a cut
  // connection would look like the end of the log.
  body.on('pipe', (response: Readable) => response.on('error', (error) => body.destroy(error)));
  if (query.signal.aborted) return;
  let request: AbortController;
  try {
    request = await new Log(kubeConfig).log(
      namespace,
      source.pod,
      CONTAINER_CONTRACT.containerName,
      body,
      {
        follow: false,
        timestamps: true,
        previous: source.previous,
        // The API server takes whole seconds (RFC 3339); the collector applies the exact window.
        ...(query.start === undefined
          ? {}
          : { sinceTime: rfc3339Seconds(floorSeconds(query.start)) }),
        ...(tail === undefined ? {} : { tailLines: tail }),
      },
    );
  } catch (error) {
    body.destroy();
    // 400: the container has not started (or has no previous one); 404: the pod is gone.
    const status = statusOf(error);
    if (status === 400 || status === 404) return;
    throw kubernetesApiError(error, what, client);
  }
  const stop = (): void => request.abort();
  if (query.signal.aborted) stop();
  else query.signal.addEventListener('abort', stop, { once: true });
  const sink = collector.instance(source.pod);
  try {
    for await (const line of createInterface({ input: body, crlfDelay: Infinity })) {
      sink.line(line);
    }
  } catch (error) {
    if (query.signal.aborted) throw error;
    throw kubernetesApiError(error, what, client);
  } finally {
    query.signal.removeEventListener('abort', stop);
  }
}

/** `2026-01-31T09:30:00Z` for a time in whole seconds. */
function rfc3339Seconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
