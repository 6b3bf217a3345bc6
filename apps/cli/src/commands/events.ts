/** `service events`: a service's scaling decisions, a user's and the platform's, newest first. */
import { type Command } from 'commander';
import { call, type Api, type Schemas } from '../client';
import { formatTable } from '../output';
import { EVENT_COLUMNS, eventRows } from '../scaling';
import {
  connectToService,
  handle,
  integerIn,
  leaf,
  serviceTarget,
  type ServiceTarget,
} from './common';

interface EventsOptions extends ServiceTarget {
  limit: number;
}

const PAGE_SIZE = 100;

/** The newest `limit` events, page by page (a service that autoscales has many). */
export async function newestEvents(
  api: Api,
  id: string,
  limit: number,
): Promise<Schemas['ServiceOperationView'][]> {
  const events: Schemas['ServiceOperationView'][] = [];
  const perPage = Math.min(limit, PAGE_SIZE);
  for (let page = 1; events.length < limit; page += 1) {
    const { data, pagination } = await call(
      api,
      api.client.GET('/v1/services/{id}/events', {
        params: { path: { id }, query: { page, per_page: perPage } },
      }),
    );
    events.push(...data);
    if (page >= pagination.total_pages || data.length === 0) break;
  }
  return events.slice(0, limit);
}

export function registerEvents(service: Command): void {
  const events = serviceTarget(
    leaf(
      service,
      'events',
      "List a service's scaling decisions, newest first: who decided (user, idle, wake, autoscale), why, and how each ended",
      'slipway service events --name my-api\n  slipway service events --id SERVICE_ID --limit 100 --json',
      'idle: put to sleep after its idle timeout without a request; wake: a request arrived while it slept; autoscale: scaled to its in-flight requests.',
    ),
  ).option('--limit <n>', 'at most this many events', integerIn(1, 1000), 20);
  handle<EventsOptions>(events, async (options, output, connect) => {
    const { api, id } = await connectToService(options, connect);
    const found = await newestEvents(api, id, options.limit);
    output.result(found, () =>
      found.length === 0
        ? 'No scaling events yet: scales show here, by a user or by the platform (sleep, wake, autoscale).\n'
        : formatTable(EVENT_COLUMNS, eventRows(found, output.color)),
    );
  });
}
