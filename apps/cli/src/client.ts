import { randomUUID } from 'node:crypto';
import createClient, { type Client } from 'openapi-fetch';
import { type Settings } from './config';
import { CliError } from './errors';
import { type components, type paths } from './generated/api';

export type ApiClient = Client<paths>;
export type Schemas = components['schemas'];

export interface Api {
  readonly client: ApiClient;
  readonly settings: Settings;
}

/** A typed client for the API in `settings`; every request carries the token. */
export function createApi(settings: Settings): Api {
  const client = createClient<paths>({
    baseUrl: settings.apiUrl,
    headers: { Authorization: `Bearer ${settings.token}`, 'User-Agent': 'slipway-cli' },
  });
  return { client, settings };
}

/** A fresh key per invocation: a retried request is not applied twice. */
export function idempotencyKey(): { 'Idempotency-Key': string } {
  return { 'Idempotency-Key': randomUUID() };
}

function apiErrorMessage(body: unknown, response: Response): string {
  if (typeof body === 'object' && body !== null && 'error' in body) {
    const { error } = body;
    if (typeof error === 'object' && error !== null && 'message' in error) {
      if (typeof error.message === 'string') return error.message;
    }
  }
  const detail = typeof body === 'string' && body.trim() ? `: ${body.trim().slice(0, 200)}` : '';
  return `the API answered ${response.status} ${response.statusText}${detail}`;
}

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * The body of a successful answer; an error body `{error: {code, message}}` or a
 * network failure becomes a `CliError` carrying the API's own message.
 */
export async function call<T>(api: Api, request: Promise<Answer<T>>): Promise<T> {
  let answer: Answer<T>;
  try {
    answer = await request;
  } catch (error) {
    const cause = (error as { cause?: { message?: unknown } }).cause;
    const reason = typeof cause?.message === 'string' ? cause.message : (error as Error).message;
    throw new CliError(`cannot reach the API at ${api.settings.apiUrl}: ${reason}`);
  }
  if (answer.response.ok && answer.data !== undefined) return answer.data;
  throw new CliError(apiErrorMessage(answer.error, answer.response));
}

interface Page<T> {
  data: T[];
  pagination: { total_pages: number };
}

/** Every item of a paginated list, page by page. */
export async function listAll<T>(fetchPage: (page: number) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  for (let page = 1; ; page += 1) {
    const answer = await fetchPage(page);
    items.push(...answer.data);
    if (page >= answer.pagination.total_pages) return items;
  }
}

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));
