import { vi } from 'vitest';

/** One request as the fake API saw it. */
export interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Headers;
  credentials: RequestCredentials;
  body: string;
}

type Reply = Response | ((seen: Seen) => Response);

export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

export const ok = (data: unknown) => json(200, { data });

export const page = (data: unknown[]) =>
  json(200, { data, pagination: { page: 1, per_page: 100, total: data.length, total_pages: 1 } });

export const apiError = (status: number, code: string, message: string) =>
  json(status, { error: { code, message, request_id: 'req-test' } });

/**
 * A stand-in for `fetch` that answers by "METHOD /path" (the path without its query) and
 * records every request; an unknown route answers the API's 404.
 */
export function fakeFetch(routes: Record<string, Reply>) {
  const seen: Seen[] = [];
  const fetch = vi.fn(async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const entry: Seen = {
      method: request.method,
      path: url.pathname,
      query: url.searchParams,
      headers: request.headers,
      credentials: request.credentials,
      body: await request.text(),
    };
    seen.push(entry);
    const reply = routes[`${entry.method} ${entry.path}`];
    if (reply === undefined) return apiError(404, 'route_not_found', `no route ${entry.path}`);
    return typeof reply === 'function' ? reply(entry) : reply.clone();
  });
  return { fetch, seen };
}
