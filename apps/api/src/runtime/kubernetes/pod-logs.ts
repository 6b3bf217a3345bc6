/** Streams one pod's log (the app container) as plain text until the pod or the reader stops. */
import { PassThrough, type Readable } from 'node:stream';
import { Log, type KubeConfig } from '@kubernetes/client-node';
import { CONTAINER_CONTRACT } from '@slipway/k8s-spec';
import { kubernetesApiError, statusOf, type KubeClientOptions } from '@slipway/kube-client';
import type { LogOptions } from '../runtime-driver';

export async function streamPodLogs(
  kubeConfig: KubeConfig,
  client: KubeClientOptions,
  { namespace, pod }: { readonly namespace: string; readonly pod: string },
  options: LogOptions,
): Promise<Readable> {
  const output = new PassThrough();
  // client-node pipes the response body into `output` but ignores the body's errors: when
  // the connection is cut mid-stream, `output` would never end. End it there.
  output.on('pipe', (source: Readable) => source.on('error', () => output.end()));
  if (options.signal.aborted) return output.end();
  let request: AbortController;
  try {
    request = await new Log(kubeConfig).log(
      namespace,
      pod,
      CONTAINER_CONTRACT.containerName,
      output,
      {
        follow: options.follow,
        tailLines: options.tailLines,
        timestamps: false,
      },
    );
  } catch (error) {
    output.destroy();
    // The log endpoint answers 400 while the container has not started (or is gone).
    if (statusOf(error) === 400)
      throw new Error(`the logs of ${pod} are not available yet: its container has not started`);
    throw kubernetesApiError(error, `read the logs of ${pod}`, client);
  }
  const stop = (): void => {
    request.abort();
    output.end();
  };
  if (options.signal.aborted) stop();
  else options.signal.addEventListener('abort', stop, { once: true });
  output.once('close', () => options.signal.removeEventListener('abort', stop));
  return output;
}
