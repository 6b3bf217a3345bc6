/**
 * Deploying from git end to end: a real git server on loopback (`git http-backend`), the
 * builder in this process cloning from it, the docker runtime serving what it built, and
 * pushes signed as GitHub and GitLab sign them starting deployments.
 */
import { createHmac } from 'node:crypto';
import { startGitServer, type GitServer } from '@slipway/api-testing';
import { ErrorCode, type DeploymentResource, type ServiceResource } from '@slipway/contracts';
import { httpGet, startDockerStack, type DockerStack } from '../../test/support/docker-stack';
import { expectError } from '../../test/support/fixtures';
import { bearer } from '../../test/support/test-app';

jest.setTimeout(180_000);

const TOKEN = 'ghp_test-token-never-shown-0123456789';

describe('deploying from a git repository', () => {
  let stack: DockerStack;
  let git: GitServer;
  let privateGit: GitServer;

  beforeAll(async () => {
    stack = await startDockerStack({ builder: true });
    git = await startGitServer();
    privateGit = await startGitServer({ auth: { username: 'x-access-token', password: TOKEN } });
  });
  afterAll(async () => {
    await git?.close();
    await privateGit?.close();
    await stack?.close();
  });

  const admin = () => bearer(stack.t.adminToken);

  /** A site whose index says `text`, built FROM the test base image. */
  const site = (text: string) => ({
    Dockerfile: `FROM ${stack.baseImage}\nCOPY index.html /www/index.html\nCMD ["httpd", "-f", "-p", "8080", "-h", "/www"]\n`,
    'index.html': `${text}\n`,
  });

  let repoCount = 0;
  async function newRepo(server: GitServer, text: string): Promise<string> {
    repoCount += 1;
    const name = `site-${repoCount}`;
    await server.createRepo(name, site(text));
    return name;
  }

  async function deployRepo(serviceId: string, repo: object, expected = 200) {
    return stack.t.http
      .post(`/v1/services/${serviceId}/deploy`)
      .set(admin())
      .send({ repo })
      .expect(expected);
  }

  async function servedText(serviceId: string): Promise<string> {
    const [endpoint] = await stack.route(serviceId);
    if (!endpoint) throw new Error('no endpoint');
    return (await httpGet(endpoint, '/index.html')).body.trim();
  }

  async function deployments(serviceId: string): Promise<DeploymentResource[]> {
    const res = await stack.t.http.get(`/v1/services/${serviceId}/deployments`).set(admin());
    return res.body.data as DeploymentResource[];
  }

  function githubPush(serviceId: string, secret: string, body: object, delivery: string) {
    const raw = JSON.stringify(body);
    const signature = `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
    return stack.t.http
      .post(`/v1/hooks/git/${serviceId}`)
      .set('Content-Type', 'application/json')
      .set('X-GitHub-Event', 'push')
      .set('X-GitHub-Delivery', delivery)
      .set('X-Hub-Signature-256', signature)
      .send(raw);
  }

  describe('a public repository', () => {
    let serviceId: string;
    let repoName: string;
    let secret: string;

    beforeAll(async () => {
      serviceId = await stack.createService('git');
      repoName = await newRepo(git, 'first version');
    });

    it('deploys the branch head, records its commit, and shows the webhook secret once', async () => {
      const res = await deployRepo(serviceId, { url: git.url(repoName), branch: 'main' });
      const started = res.body.data as DeploymentResource & {
        webhook?: { url: string; secret: string };
      };
      expect(started).toMatchObject({
        status: 'building',
        trigger: 'deploy',
        source: null,
        repo: { url: git.url(repoName), branch: 'main', commit_sha: null },
      });
      expect(started.webhook?.url).toMatch(new RegExp(`/v1/hooks/git/${serviceId}$`));
      secret = started.webhook?.secret ?? '';
      expect(secret.length).toBeGreaterThanOrEqual(32);

      const done = await stack.waitForDeployment(serviceId, started.id);
      expect(done).toMatchObject({ status: 'succeeded' });
      expect(done.repo?.commit_sha).toMatch(/^[0-9a-f]{40}$/);
      expect(done.repo?.commit_message).toBe('initial commit');
      expect(await servedText(serviceId)).toBe('first version');

      const service = await stack.t.http.get(`/v1/services/${serviceId}`).set(admin());
      expect((service.body.data as ServiceResource).repo).toEqual({
        url: git.url(repoName),
        branch: 'main',
        docker: { file: 'Dockerfile', context: '.' },
        private: false,
        webhook_url: started.webhook?.url,
      });
    });

    it('a signed push to the branch deploys the new head; a redelivery does not deploy again', async () => {
      const sha = await git.push(repoName, { 'index.html': 'second version\n' }, 'Second');
      const body = { ref: 'refs/heads/main', after: sha, head_commit: { message: 'Second' } };
      const res = await githubPush(serviceId, secret, body, 'delivery-1').expect(200);
      expect(res.body.data).toMatchObject({ deployed: true });
      const deploymentId = res.body.data.deployment_id as string;
      const done = await stack.waitForDeployment(serviceId, deploymentId);
      expect(done).toMatchObject({ status: 'succeeded', trigger: 'git_push' });
      expect(done.repo).toMatchObject({ commit_sha: sha, commit_message: 'Second' });
      expect(await servedText(serviceId)).toBe('second version');

      const again = await githubPush(serviceId, secret, body, 'delivery-1').expect(200);
      expect(again.body.data).toMatchObject({ deployed: false, deployment_id: null });
      expect(again.body.data.reason).toMatch(/already received/);
      expect((await deployments(serviceId))[0]?.id).toBe(deploymentId);
    });

    it('ignores pushes to other branches and other events, saying why', async () => {
      const before = (await deployments(serviceId)).length;
      const other = await githubPush(
        serviceId,
        secret,
        { ref: 'refs/heads/feature', after: 'a'.repeat(40) },
        'delivery-2',
      ).expect(200);
      expect(other.body.data).toEqual({
        deployed: false,
        deployment_id: null,
        reason: "push to 'feature'; the service deploys 'main'",
      });
      const ping = await stack.t.http
        .post(`/v1/hooks/git/${serviceId}`)
        .set('X-GitHub-Event', 'ping')
        .set(
          'X-Hub-Signature-256',
          `sha256=${createHmac('sha256', secret).update('{"zen":"hi"}').digest('hex')}`,
        )
        .set('Content-Type', 'application/json')
        .send('{"zen":"hi"}')
        .expect(200);
      expect(ping.body.data.deployed).toBe(false);
      expect((await deployments(serviceId)).length).toBe(before);
    });

    it("takes GitLab's token header", async () => {
      const sha = await git.push(repoName, { 'index.html': 'third version\n' }, 'Third');
      const res = await stack.t.http
        .post(`/v1/hooks/git/${serviceId}`)
        .set('X-Gitlab-Event', 'Push Hook')
        .set('X-Gitlab-Token', secret)
        .set('X-Gitlab-Event-UUID', 'gitlab-delivery-1')
        .send({ ref: 'refs/heads/main', after: sha, checkout_sha: sha })
        .expect(200);
      const done = await stack.waitForDeployment(serviceId, res.body.data.deployment_id as string);
      expect(done.repo?.commit_sha).toBe(sha);
    });

    it('a bad or missing signature is 401 and starts nothing', async () => {
      const before = (await deployments(serviceId)).length;
      const body = { ref: 'refs/heads/main', after: 'b'.repeat(40) };
      const forged = await githubPush(serviceId, 'not-the-secret', body, 'delivery-3').expect(401);
      expect(expectError(forged.body, ErrorCode.Unauthorized).message).toMatch(/does not match/);
      const wrongToken = await stack.t.http
        .post(`/v1/hooks/git/${serviceId}`)
        .set('X-Gitlab-Event', 'Push Hook')
        .set('X-Gitlab-Token', `${secret}x`)
        .send(body)
        .expect(401);
      expectError(wrongToken.body, ErrorCode.Unauthorized);
      const unsigned = await stack.t.http
        .post(`/v1/hooks/git/${serviceId}`)
        .set('X-GitHub-Event', 'push')
        .send(body)
        .expect(401);
      expect(expectError(unsigned.body, ErrorCode.Unauthorized).message).toMatch(/not signed/);
      expect((await deployments(serviceId)).length).toBe(before);
    });

    it('changing the branch on PUT deploys its head at once; redeploy clones the head again', async () => {
      const sha = await git.push(
        repoName,
        { 'index.html': 'from develop\n' },
        'Develop',
        'develop',
      );
      const put = await stack.t.http
        .put(`/v1/services/${serviceId}`)
        .set(admin())
        .send({ repo: { url: git.url(repoName), branch: 'develop' } })
        .expect(200);
      expect(put.body.data).toMatchObject({ status: 'deploying', repo: { branch: 'develop' } });
      expect(put.body.data.repo.webhook_secret).toBeUndefined();
      const [newest] = await deployments(serviceId);
      expect(newest).toMatchObject({ trigger: 'repo_update', repo: { branch: 'develop' } });
      const done = await stack.waitForDeployment(serviceId, newest!.id);
      expect(done.repo?.commit_sha).toBe(sha);
      expect(await servedText(serviceId)).toBe('from develop');

      const head = await git.push(
        repoName,
        { 'index.html': 'develop again\n' },
        'Again',
        'develop',
      );
      const redeploy = await stack.t.http
        .post(`/v1/services/${serviceId}/redeploy`)
        .set(admin())
        .expect(200);
      const redone = await stack.waitForDeployment(serviceId, redeploy.body.data.id as string);
      expect(redone).toMatchObject({ status: 'succeeded', trigger: 'redeploy' });
      expect(redone.repo?.commit_sha).toBe(head);
    });

    it('disconnecting keeps the deployment serving and closes the webhook', async () => {
      const put = await stack.t.http
        .put(`/v1/services/${serviceId}`)
        .set(admin())
        .send({ repo: null })
        .expect(200);
      expect(put.body.data.repo).toBeNull();
      expect(await servedText(serviceId)).toBe('develop again');
      const res = await githubPush(serviceId, secret, { ref: 'refs/heads/develop' }, 'd-9').expect(
        404,
      );
      expectError(res.body, ErrorCode.NotFound);
    });
  });

  describe('a private repository', () => {
    it('clones with the stored token, which no answer ever shows', async () => {
      const serviceId = await stack.createService('git-private');
      const name = await newRepo(privateGit, 'private site');
      const res = await deployRepo(serviceId, {
        url: privateGit.url(name),
        branch: 'main',
        auth: { token: TOKEN },
      });
      const done = await stack.waitForDeployment(serviceId, res.body.data.id as string);
      expect(done.status).toBe('succeeded');
      expect(await servedText(serviceId)).toBe('private site');
      const service = await stack.t.http.get(`/v1/services/${serviceId}`).set(admin());
      expect(service.body.data.repo.private).toBe(true);
      for (const body of [res.body, service.body, done]) {
        expect(JSON.stringify(body)).not.toContain(TOKEN);
      }
      // Stored sealed.
      const [row] = await stack.t.dataSource.query<{ sealed: string }[]>(
        'SELECT auth_token_ciphertext AS sealed FROM service_repositories WHERE service_id = $1',
        [serviceId],
      );
      expect(row?.sealed).not.toContain(TOKEN);
    });

    it.each([
      ['no token', {}, /private and no token was given|authentication/i],
      ['a wrong token', { auth: { token: 'wrong-token' } }, /authentication.*(refused|failed)/i],
    ])('ends build_failed with the reason when given %s', async (_case, extra, reason) => {
      const serviceId = await stack.createService('git-denied');
      const name = await newRepo(privateGit, 'nope');
      const res = await deployRepo(serviceId, {
        url: privateGit.url(name),
        branch: 'main',
        ...extra,
      });
      const done = await stack.waitForDeployment(serviceId, res.body.data.id as string);
      expect(done.status).toBe('build_failed');
      expect(done.failure_reason).toMatch(reason);
      expect(done.failure_reason).not.toContain('wrong-token');
    });
  });

  describe('clone failures end build_failed with the reason', () => {
    it.each([
      ['a missing repository', 'missing-repo', 'main', /not found/],
      ['a missing branch', 'exists', 'nope', /branch 'nope' not found/],
    ])('%s', async (_case, repo, branch, reason) => {
      if (repo === 'exists') await git.createRepo('exists', site('x'));
      const serviceId = await stack.createService('git-fail');
      const res = await deployRepo(serviceId, { url: git.url(repo), branch });
      const done = await stack.waitForDeployment(serviceId, res.body.data.id as string);
      expect(done.status).toBe('build_failed');
      expect(done.failure_reason).toMatch(reason);
    });
  });

  describe('bad input', () => {
    let serviceId: string;
    beforeAll(async () => {
      serviceId = await stack.createService('git-bad');
    });

    it.each([
      [
        { url: 'git@github.com:acme/api.git', branch: 'main' },
        /^repo\.url: must be an http\(s\) URL/,
      ],
      [
        { url: 'https://u:p@github.com/acme/api.git', branch: 'main' },
        /must not carry credentials/,
      ],
      [{ url: 'file:///etc', branch: 'main' }, /ssh and file URLs are not cloned/],
      [{ url: 'https://github.com/acme/api.git', branch: 'a..b' }, /^repo\.branch: /],
      [{ url: 'https://github.com/acme/api.git' }, /^repo\.branch: /],
      [
        {
          url: 'https://github.com/acme/api.git',
          branch: 'main',
          docker: { file: '../Dockerfile' },
        },
        /^repo\.docker\.file '\.\.\/Dockerfile' leaves the repository/,
      ],
      [
        { url: 'https://github.com/acme/api.git', branch: 'main', auth: {} },
        /^repo\.auth\.token: /,
      ],
    ])('refuses %j, deploying nothing', async (repo, message) => {
      const res = await deployRepo(serviceId, repo, 400);
      expect(expectError(res.body, ErrorCode.ValidationFailed).message).toMatch(message);
      const put = await stack.t.http
        .put(`/v1/services/${serviceId}`)
        .set(admin())
        .send({ repo })
        .expect(400);
      expectError(put.body, ErrorCode.ValidationFailed);
      expect(await deployments(serviceId)).toEqual([]);
      const service = await stack.t.http.get(`/v1/services/${serviceId}`).set(admin());
      expect(service.body.data.repo).toBeNull();
    });

    it('refuses image and repo together', async () => {
      const res = await stack.t.http
        .post(`/v1/services/${serviceId}/deploy`)
        .set(admin())
        .send({ image: 'busybox:1', repo: { url: 'https://github.com/a/b.git', branch: 'main' } })
        .expect(400);
      expect(expectError(res.body, ErrorCode.ValidationFailed).message).toMatch(
        /cannot be combined with repo/,
      );
    });

    it('the webhook: unknown or unconnected services are 404, a bad id 400, a form body 415', async () => {
      const unknown = await stack.t.http
        .post('/v1/hooks/git/6f1c1b5e-0000-4000-8000-000000000000')
        .send({})
        .expect(404);
      expectError(unknown.body, ErrorCode.NotFound);
      await stack.t.http.post(`/v1/hooks/git/${serviceId}`).send({}).expect(404);
      await stack.t.http.post('/v1/hooks/git/not-a-uuid').send({}).expect(400);
      const form = await stack.t.http
        .post(`/v1/hooks/git/${serviceId}`)
        .type('form')
        .send('payload=%7B%7D')
        .expect(415);
      expectError(form.body, ErrorCode.UnsupportedMediaType);
    });

    it('the credentials endpoint refuses anything but a building deployment and its token', async () => {
      const path = '/internal/v1/git-credentials/6f1c1b5e-0000-4000-8000-000000000000';
      await stack.t.http.get(path).expect(401);
      await stack.t.http
        .get(path)
        .set(bearer('x'.repeat(43)))
        .expect(401);
      await stack.t.http.get('/internal/v1/git-credentials/nope').set(bearer('x')).expect(400);
    });

    it('needs credentials to connect a repository', async () => {
      await stack.t.http
        .put(`/v1/services/${serviceId}`)
        .send({ repo: { url: 'https://github.com/a/b.git', branch: 'main' } })
        .expect(401);
    });
  });
});
