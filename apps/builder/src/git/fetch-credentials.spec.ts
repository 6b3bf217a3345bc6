/**
 * fetchGitCredentials against a stand-in for the API's internal credentials endpoint:
 * what is final (the API refused), what may be retried, and that the answer's password is
 * never quoted in an error.
 */
import { CredentialsServer } from '../test-support/credentials-server';
import { BuildFailedError } from '../drivers/build-driver';
import { fetchGitCredentials } from './fetch-credentials';

const server = new CredentialsServer();
const signal = (): AbortSignal => new AbortController().signal;

beforeAll(() => server.start());
afterAll(() => server.stop());

describe('fetchGitCredentials', () => {
  it('GETs the credentials with the build token as a Bearer header', async () => {
    const endpoint = server.serve({ username: 'x-access-token', password: 'ghp_secret' });

    await expect(fetchGitCredentials(endpoint, { signal: signal() })).resolves.toEqual({
      username: 'x-access-token',
      password: 'ghp_secret',
    });
    expect(server.requests.at(-1)?.authorization).toBe(`Bearer ${endpoint.token}`);
  });

  it.each([
    [401, '401 Unauthorized'],
    [404, '404 Not Found'],
    [403, '403 Forbidden'],
  ])('fails the build at once when the API answers %i', async (status, text) => {
    const endpoint = server.serve({ status });
    const error: unknown = await fetchGitCredentials(endpoint, { signal: signal() }).catch(
      (e: unknown) => e,
    );
    expect(error).toEqual(
      new BuildFailedError(
        `the repository's credentials could not be fetched: the API answered ${text}`,
      ),
    );
  });

  it('fails the build at once when the build token is not the endpoint’s', async () => {
    const endpoint = server.serve({ username: 'u', password: 'p' });
    const error: unknown = await fetchGitCredentials(
      { ...endpoint, token: `${endpoint.token}-other` },
      { signal: signal() },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BuildFailedError);
  });

  it('leaves a server error to be retried', async () => {
    const endpoint = server.serve({ status: 503 });
    const error: unknown = await fetchGitCredentials(endpoint, { signal: signal() }).catch(
      (e: unknown) => e,
    );
    expect(error).not.toBeInstanceOf(BuildFailedError);
    expect((error as Error).message).toBe(
      "the repository's credentials could not be fetched: the API answered 503 Service Unavailable",
    );
  });

  it.each([
    ['not JSON', '{"username":"u","password":"ghp_leaked', 'is not JSON'],
    [
      'not the shape',
      '{"username":"u","password":"ghp_leaked","extra":1}',
      'is not { username, password } (check (root))',
    ],
    [
      'missing a field',
      '{"password":"ghp_leaked"}',
      'is not { username, password } (check username)',
    ],
  ])('refuses an answer that is %s, without quoting it', async (_kind, body, detail) => {
    const endpoint = server.serve({ status: 200, body });
    const error: unknown = await fetchGitCredentials(endpoint, { signal: signal() }).catch(
      (e: unknown) => e,
    );
    expect(error).not.toBeInstanceOf(BuildFailedError);
    expect((error as Error).message).toBe(
      `the repository's credentials could not be fetched: the API's answer ${detail}`,
    );
    expect(String((error as Error).stack)).not.toContain('ghp_leaked');
  });

  it("rejects with the signal's reason when the build is aborted", async () => {
    const endpoint = server.serve({ username: 'u', password: 'p' });
    const controller = new AbortController();
    controller.abort(new Error('build timed out after 1 s'));
    await expect(fetchGitCredentials(endpoint, { signal: controller.signal })).rejects.toThrow(
      'build timed out after 1 s',
    );
  });
});
