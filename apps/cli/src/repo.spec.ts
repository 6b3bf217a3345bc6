import { UsageError } from './errors';
import { repoBody, webhookLines } from './repo';

describe('repoBody', () => {
  it('is undefined without --repo, and refuses repo flags without it', () => {
    expect(repoBody({}, {})).toBeUndefined();
    expect(() => repoBody({ branch: 'dev' }, {})).toThrow(UsageError);
  });

  it('defaults the branch to main and passes the Dockerfile and context', () => {
    expect(
      repoBody({ repo: 'https://git.example.com/a/b.git' }, { file: 'api/Dockerfile' }),
    ).toEqual({
      url: 'https://git.example.com/a/b.git',
      branch: 'main',
      docker: { file: 'api/Dockerfile' },
    });
  });

  it('reads the token from the named environment variable only', () => {
    const env = { REPO_TOKEN: 'glpat-secret' };
    expect(
      repoBody(
        {
          repo: 'https://gitlab.example.com/a/b.git',
          repoTokenEnv: 'REPO_TOKEN',
          repoUsername: 'oauth2',
        },
        {},
        env,
      ),
    ).toMatchObject({ auth: { token: 'glpat-secret', username: 'oauth2' } });
    expect(() =>
      repoBody({ repo: 'https://gitlab.example.com/a/b.git', repoTokenEnv: 'UNSET' }, {}, {}),
    ).toThrow('--repo-token-env: the environment variable UNSET is not set');
    expect(() =>
      repoBody({ repo: 'https://gitlab.example.com/a/b.git', repoUsername: 'x' }, {}, env),
    ).toThrow('--repo-username needs --repo-token-env');
  });

  it('refuses URLs and branches the API would refuse, before connecting', () => {
    expect(() => repoBody({ repo: 'git@github.com:a/b.git' }, {})).toThrow(/^--repo: /);
    expect(() => repoBody({ repo: 'https://user:pw@github.com/a/b.git' }, {})).toThrow(
      /must not carry credentials/,
    );
    expect(() => repoBody({ repo: 'https://github.com/a/b.git', branch: 'a..b' }, {})).toThrow(
      "--branch: 'a..b' is not a valid branch name",
    );
  });
});

describe('webhookLines', () => {
  it('prints the secret with how to use it, and only the URL when there is none', () => {
    const lines = webhookLines({ url: 'https://api.example.com/v1/hooks/git/x', secret: 's3' });
    expect(lines).toContain('webhook secret: s3');
    expect(lines).toMatch(/not shown again/);
    expect(webhookLines({ url: 'https://api.example.com/v1/hooks/git/x' })).toBe(
      'webhook URL:    https://api.example.com/v1/hooks/git/x',
    );
  });
});
