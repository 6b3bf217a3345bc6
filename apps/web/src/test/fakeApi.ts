import { vi } from 'vitest';

/** One request as the fake API saw it. */
export interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Headers;
  credentials: RequestCredentials;
  body: string;
  /** Aborted when the caller gave up on the request (a stream it stopped following). */
  signal: AbortSignal;
}

type Reply = Response | ((seen: Seen) => Response | Promise<Response>);

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

/** A reply that never comes: the view stays in its loading state. */
export const never = (): Promise<Response> => new Promise(() => undefined);

/**
 * A streamed text/plain answer the test writes to: `write` sends a chunk, `end` closes it;
 * `cancelled` says whether the reader cancelled it (as aborting a real fetch does).
 */
export function textStream() {
  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const state = { cancelled: false };
  const body = new ReadableStream<Uint8Array>({
    start: (started) => {
      controller = started;
    },
    cancel: () => {
      state.cancelled = true;
    },
  });
  return {
    response: () =>
      new Response(body, { status: 200, headers: { 'Content-Type': 'text/plain; charset=utf-8' } }),
    write: (text: string) => controller.enqueue(encoder.encode(text)),
    end: () => controller.close(),
    get cancelled() {
      return state.cancelled;
    },
  };
}

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
      signal: request.signal,
    };
    seen.push(entry);
    const reply = routes[`${entry.method} ${entry.path}`];
    if (reply === undefined) return apiError(404, 'route_not_found', `no route ${entry.path}`);
    return typeof reply === 'function' ? reply(entry) : reply.clone();
  });
  return { fetch, seen };
}
