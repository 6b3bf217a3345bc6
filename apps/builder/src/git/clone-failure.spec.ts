/**
 * cloneFailure on stderr as git 2.39 prints it (LC_ALL=C), for the failures the git server
 * of the integration spec cannot produce: GitHub's answers, redirects, unknown errors.
 */
import { BuildFailedError } from '../drivers/build-driver';
import { cloneFailure } from './clone-failure';

const url = 'https://github.com/acme/api.git';
const attempt = { url, branch: 'main', authenticated: true };
const cloning = "Cloning into '/tmp/slipway-builds/dep-1-abc/repository'...\n";

describe('cloneFailure', () => {
  it("reads GitHub's answer for a repository the token cannot see as not found", () => {
    const stderr = `${cloning}remote: Repository not found.\nfatal: repository '${url}/' not found\n`;
    expect(cloneFailure(stderr, attempt)).toEqual(
      new BuildFailedError(`repository ${url} not found (HTTP 404), or the token cannot see it`),
    );
  });

  it('reads a 403 as a refused token', () => {
    const stderr = `${cloning}remote: Permission to acme/api.git denied to bot.\nfatal: unable to access '${url}/': The requested URL returned error: 403\n`;
    expect(cloneFailure(stderr, attempt).reason).toBe(
      `authentication to ${url} failed: the token was refused`,
    );
  });

  it('says so when the address redirects (no redirects once a token is sent)', () => {
    const stderr = `${cloning}fatal: unable to access '${url}/': The requested URL returned error: 301\n`;
    expect(cloneFailure(stderr, attempt).reason).toBe(
      `${url} redirects elsewhere (HTTP 301); give the repository's own address`,
    );
  });

  it('names the host and the reason when it cannot be reached', () => {
    const stderr = `${cloning}fatal: unable to access '${url}/': Could not resolve host: github.com\n`;
    expect(cloneFailure(stderr, attempt).reason).toBe(
      'could not reach github.com: Could not resolve host: github.com',
    );
  });

  it("quotes git's last lines for any other failure, without the progress line", () => {
    const stderr = `${cloning}error: RPC failed; HTTP 500 curl 22 The requested URL returned error: 500\nfatal: expected flush after ref listing\n`;
    expect(cloneFailure(stderr, attempt).reason).toBe(
      `cloning ${url} failed:\nerror: RPC failed; HTTP 500 curl 22 The requested URL returned error: 500\nfatal: expected flush after ref listing`,
    );
    expect(cloneFailure('', attempt).reason).toBe(`cloning ${url} failed:\n(git printed nothing)`);
  });
});
