import { branchProblem, gitWebhookPath, repoUrlProblem } from './git';

describe('repoUrlProblem', () => {
  it('accepts http(s) clone URLs', () => {
    for (const url of [
      'https://github.com/acme/api.git',
      'https://gitlab.example.com/group/sub/api',
      'http://127.0.0.1:8080/repo.git',
    ]) {
      expect(repoUrlProblem(url)).toBeNull();
    }
  });

  it('refuses other schemes, credentials, queries and non-URLs, saying why', () => {
    expect(repoUrlProblem('git@github.com:acme/api.git')).toMatch(/must be an http\(s\) URL/);
    expect(repoUrlProblem('ssh://git@github.com/acme/api.git')).toMatch(/ssh and file URLs/);
    expect(repoUrlProblem('ext::sh -c touch% /tmp/pwned')).toMatch(/must be an http\(s\) URL/);
    expect(repoUrlProblem('https://user:token@github.com/a.git')).toMatch(/must not carry/);
    expect(repoUrlProblem('https://github.com/a.git?x=1')).toMatch(/query or a fragment/);
    expect(repoUrlProblem(`https://x.com/${'a'.repeat(2048)}`)).toMatch(/at most 2048/);
    expect(repoUrlProblem(42)).toBe('must be a string');
  });
});

describe('branchProblem', () => {
  it('accepts what git accepts', () => {
    for (const name of ['main', 'release/1.2', 'feature_x-y', 'v1.0']) {
      expect(branchProblem(name)).toBeNull();
    }
  });

  it('refuses what `git check-ref-format --branch` refuses, and option-like names', () => {
    for (const name of [
      '',
      '-rf',
      'a..b',
      'a b',
      'a~1',
      'a^',
      'a:b',
      'a?',
      'a*',
      'a[',
      'a\\b',
      '/a',
      'a/',
      'a.',
      'a.lock',
      'a//b',
      'a@{1}',
      '@',
      '.hidden',
      'a/.b',
      'tab\there',
      'del\x7f',
      'x'.repeat(256),
    ]) {
      expect(branchProblem(name)).not.toBeNull();
    }
  });
});

describe('gitWebhookPath', () => {
  it('is under /v1/hooks/git', () => {
    expect(gitWebhookPath('abc')).toBe('/v1/hooks/git/abc');
  });
});
