import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { CSRF_HEADER, createCsrfStore, type CsrfStore } from './csrf';
import { apiErrorFrom, toApiError } from './errors';
import type { paths } from './generated/api';

export type ApiClient = Client<paths>;

export interface Api {
  readonly client: ApiClient;
  readonly csrf: CsrfStore;
}

export interface ApiOptions {
  /** Where the API is; default this page's origin (the API serves the app). */
  baseUrl?: string;
  /** default: `globalThis.fetch`, looked up at each call */
  fetch?: (request: Request) => Promise<Response>;
  csrf?: CsrfStore;
  /** Called when a request made with the session answers 401 (the session ended). */
  onUnauthorized?: () => void;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const SESSION_PATHS = new Set(['/v1/sessions', '/v1/sessions/current']);

/** Every change made through the session cookie carries the CSRF token; reads never do. */
export function csrfMiddleware(csrf: CsrfStore): Middleware {
  return {
    onRequest({ request }) {
      if (SAFE_METHODS.has(request.method.toUpperCase())) {
        request.headers.delete(CSRF_HEADER);
        return request;
      }
      const token = csrf.get();
      if (token !== undefined) request.headers.set(CSRF_HEADER, token);
      return request;
    },
  };
}

function unauthorizedMiddleware(onUnauthorized: () => void): Middleware {
  return {
    onResponse({ response, schemaPath }) {
      if (response.status === 401 && !SESSION_PATHS.has(schemaPath)) onUnauthorized();
      return response;
    },
  };
}

export function createApi(options: ApiOptions = {}): Api {
  const csrf = options.csrf ?? createCsrfStore();
  const client = createClient<paths>({
    baseUrl: options.baseUrl ?? window.location.origin,
    credentials: 'same-origin',
    fetch: options.fetch ?? ((request: Request) => globalThis.fetch(request)),
  });
  client.use(csrfMiddleware(csrf));
  if (options.onUnauthorized) client.use(unauthorizedMiddleware(options.onUnauthorized));
  return { client, csrf };
}

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The body of a successful answer; anything else throws an ApiError in the API's words. */
export async function call<T>(request: Promise<Answer<T>>): Promise<T> {
  let answer: Answer<T>;
  try {
    answer = await request;
  } catch (error) {
    throw toApiError(error);
  }
  if (answer.response.ok && answer.data !== undefined) return answer.data;
  throw apiErrorFrom(answer.error, answer.response);
}
