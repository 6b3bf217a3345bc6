/**
 * Fetches a private repository's credentials from the API's internal endpoint named in the
 * build job (the job itself carries no secret): `GET` with the build token as a Bearer
 * header, answered with `{ "username", "password" }`. Neither the token nor the answer is
 * ever logged or quoted in an error.
 */
import { STATUS_CODES } from 'node:http';
import { type GitCredentials, GitCredentialsSchema, type GitSource } from '@slipway/contracts';
import { request } from 'undici';
import { messageOf } from '../bundle-fetch/fetch-bundle';
import { BuildFailedError } from '../drivers/build-driver';

const PREFIX = "the repository's credentials could not be fetched";
/** A `{ username, password }` answer is far smaller. */
const MAX_ANSWER_BYTES = 64 * 1024;

export interface FetchCredentialsOptions {
  readonly signal: AbortSignal;
  /** Time allowed for the response headers, and between body chunks. @default 30000 */
  readonly timeoutMs?: number;
}

/**
 * The credentials for the clone. Throws BuildFailedError when the API refuses them (the
 * token is unknown or spent, the repository's token was removed: a 4xx), a plain Error
 * when retrying may help (the API or the network failed, or answered nonsense).
 */
export async function fetchGitCredentials(
  endpoint: NonNullable<GitSource['credentials']>,
  options: FetchCredentialsOptions,
): Promise<GitCredentials> {
  const { signal, timeoutMs = 30_000 } = options;
  let response: Awaited<ReturnType<typeof request>>;
  try {
    response = await request(endpoint.url, {
      method: 'GET',
      headers: { authorization: `Bearer ${endpoint.token}`, accept: 'application/json' },
      signal,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
  } catch (error) {
    signal.throwIfAborted();
    throw new Error(`${PREFIX}: ${messageOf(error)}`, { cause: error });
  }

  const { statusCode } = response;
  if (statusCode !== 200) {
    await response.body.dump().catch(() => undefined);
    const status = `${statusCode} ${STATUS_CODES[statusCode] ?? ''}`.trim();
    const final = statusCode >= 400 && statusCode < 500 && statusCode !== 408 && statusCode !== 429;
    const reason = `${PREFIX}: the API answered ${status}`;
    throw final ? new BuildFailedError(reason) : new Error(reason);
  }

  let text: string;
  try {
    text = await response.body.text();
  } catch (error) {
    signal.throwIfAborted();
    throw new Error(`${PREFIX}: ${messageOf(error)}`, { cause: error });
  }
  if (Buffer.byteLength(text) > MAX_ANSWER_BYTES) {
    throw new Error(`${PREFIX}: the API's answer is larger than 64 KiB`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    // Not the parser's message: it may quote the answer, which holds the password.
    throw new Error(`${PREFIX}: the API's answer is not JSON`);
  }
  const parsed = GitCredentialsSchema.safeParse(body);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.') || '(root)');
    throw new Error(
      `${PREFIX}: the API's answer is not { username, password } (check ${[...new Set(fields)].join(', ')})`,
    );
  }
  return parsed.data;
}
