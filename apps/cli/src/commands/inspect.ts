import { type Command, Option } from 'commander';
import { call, listAll, type Schemas } from '../client';
import { formatTable, paintStatus } from '../output';
import {
  connectToService,
  handle,
  integerIn,
  leaf,
  serviceTarget,
  type ServiceTarget,
} from './common';

interface TracesOptions extends ServiceTarget {
  since?: number;
  limit: number;
  status?: 'error';
}

/** `https://<hostname>`: the edge terminates TLS for every service hostname. */
export function serviceUrl(hostname: string): string {
  return `https://${hostname}`;
}

/** Whole milliseconds below a second, else seconds with two decimals. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(2)}s`;
}

export function traceRows(traces: readonly Schemas['TraceSummaryView'][]): string[][] {
  return traces.map((trace) => [
    trace.trace_id,
    trace.root_span_name,
    trace.start_time,
    formatDuration(trace.duration_ms),
    String(trace.span_count),
    trace.error ? 'yes' : 'no',
  ]);
}

/** Read-only views of a service: its deployments, instances, traces and URL. */
export function registerInspect(service: Command): void {
  const deployments = serviceTarget(
    leaf(
      service,
      'deployments',
      "List a service's deployments, newest first",
      'slipway service deployments --name my-api',
    ),
  );
  handle<ServiceTarget>(deployments, async (options, output, connect) => {
    const { api, id } = await connectToService(options, connect);
    const all = await listAll((page) =>
      call(
        api,
        api.client.GET('/v1/services/{id}/deployments', {
          params: { path: { id }, query: { page, per_page: 100 } },
        }),
      ),
    );
    output.result(all, () =>
      formatTable(
        ['id', 'status', 'trigger', 'started', 'ended', 'image', 'reason'],
        all.map((d) => [
          d.id,
          paintStatus(d.status, output.color),
          d.trigger,
          d.started_at,
          d.ended_at,
          d.image,
          d.failure_reason,
        ]),
      ),
    );
  });

  const pods = serviceTarget(
    leaf(
      service,
      'pods',
      "List a service's running instances with their status",
      'slipway service pods --id SERVICE_ID',
      "Use a name with `slipway service logs --pod NAME` to read that instance's log.",
    ),
  );
  handle<ServiceTarget>(pods, async (options, output, connect) => {
    const { api, id } = await connectToService(options, connect);
    const { data: instances } = await call(
      api,
      api.client.GET('/v1/services/{id}/pods', { params: { path: { id } } }),
    );
    output.result(instances, () =>
      formatTable(
        ['name', 'status', 'ready', 'restarts', 'started', 'deployment', 'message'],
        instances.map((p) => [
          p.name,
          paintStatus(p.status, output.color),
          p.ready ? 'yes' : 'no',
          p.restarts,
          p.started_at,
          p.deployment_id,
          p.message,
        ]),
      ),
    );
  });

  const traces = serviceTarget(
    leaf(
      service,
      'traces',
      'List the traces the service reported over OpenTelemetry, newest first',
      'slipway service traces --id SERVICE_ID --since 3600 --status error',
    ),
  )
    .option('--since <seconds>', 'only traces of the last this many seconds', integerIn(1, 2 ** 31))
    .option('--limit <n>', 'at most this many traces', integerIn(1, 100), 20)
    .addOption(
      new Option('--status <status>', 'only traces with a failed span').choices(['error']),
    );
  handle<TracesOptions>(traces, async (options, output, connect) => {
    const { api, id } = await connectToService(options, connect);
    const { data: found } = await call(
      api,
      api.client.GET('/v1/services/{id}/traces', {
        params: {
          path: { id },
          query: {
            limit: options.limit,
            ...(options.since !== undefined && { since: options.since }),
            ...(options.status !== undefined && { status: options.status }),
          },
        },
      }),
    );
    output.result(found, () =>
      found.length === 0
        ? 'No traces yet: a container reports them to the OTLP endpoint Slipway injects.\n'
        : formatTable(
            ['trace id', 'root', 'started', 'duration', 'spans', 'error'],
            traceRows(found),
          ),
    );
  });

  const url = serviceTarget(
    leaf(
      service,
      'url',
      "Print the service's URL",
      'slipway service url --name my-api',
      'A private service needs an Access Key as a Bearer token (slipway access-key create).',
    ),
  );
  handle<ServiceTarget>(url, async (options, output, connect) => {
    const { api, id } = await connectToService(options, connect);
    const { data: found } = await call(
      api,
      api.client.GET('/v1/services/{id}', { params: { path: { id } } }),
    );
    const shown = {
      url: serviceUrl(found.hostname),
      hostname: found.hostname,
      access: found.access_control.access_type,
    };
    output.result(shown, () => `${shown.url}\n`);
    if (shown.access === 'private') {
      output.progress('private: send an Access Key as "Authorization: Bearer <key>"');
    }
  });
}
