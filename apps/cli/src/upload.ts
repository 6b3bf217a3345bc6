/**
 * Source deploys: the packed directory goes up as multipart (with upload progress), then
 * the build log streams to stderr until the build ends.
 */
import { openAsBlob } from 'node:fs';
import { call, type Api, type Schemas } from './client';
import { type PackedSource } from './bundle';
import { type Output } from './output';

/** Steps of 10 %: enough to see it move without flooding a log. */
const PROGRESS_STEP = 10;

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/** A fetch that counts the request body's bytes as they leave. */
function countingFetch(onSent: (bytes: number) => void): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.body === null) return fetch(request);
    let sent = 0;
    const counted = request.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          sent += chunk.byteLength;
          onSent(sent);
          controller.enqueue(chunk);
        },
      }),
    );
    // Streaming a request body needs half duplex; Node's fetch supports it.
    return fetch(new Request(request, { body: counted, duplex: 'half' }));
  };
}

export async function uploadSource(
  api: Api,
  output: Output,
  serviceId: string,
  idempotency: { 'Idempotency-Key': string },
  packed: PackedSource,
  data: Schemas['SourceDeployDto'],
): Promise<Schemas['DeploymentView']> {
  const form = new FormData();
  form.set('data', JSON.stringify(data));
  form.set(
    'source',
    new File([await openAsBlob(packed.file)], 'source.tar.gz', { type: 'application/gzip' }),
  );
  let shown = -1;
  const total = packed.sizeBytes;
  output.progress(`uploading ${formatSize(total)}`);
  const { data: started } = await call(
    api,
    api.client.POST('/v1/services/{id}/deploy', {
      params: { path: { id: serviceId }, header: idempotency },
      // The multipart variant of this route: openapi-fetch sends FormData as it is.
      body: form as unknown as Schemas['ImageDeployDto'],
      fetch: countingFetch((sent) => {
        const percent = Math.min(100, Math.floor((sent / total) * 100));
        if (percent >= shown + PROGRESS_STEP || (percent === 100 && shown < 100)) {
          shown = percent - (percent % PROGRESS_STEP);
          output.progress(`uploaded ${shown}% of ${formatSize(total)}`);
        }
      }),
    }),
  );
  return started;
}

/** Streams the build log to stderr until the build ends (the API closes the stream). */
export async function streamBuildLog(
  api: Api,
  output: Output,
  deployment: Schemas['DeploymentView'],
): Promise<void> {
  const { response } = await api.client.GET(
    '/v1/services/{id}/deployments/{deployment_id}/build-logs',
    {
      params: {
        path: { id: deployment.service_id, deployment_id: deployment.id },
        query: { follow: true },
      },
      parseAs: 'stream',
    },
  );
  if (!response.ok || response.body === null) return; // the status poll reports what happened
  const decoder = new TextDecoder();
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    output.log(decoder.decode(chunk, { stream: true }));
  }
}
