import { ErrorCode, type DeploymentResource } from '@slipway/contracts';
import {
  httpGet,
  startDockerStack,
  SITE_TEXT,
  type DockerStack,
} from '../../test/support/docker-stack';
import { expectError } from '../../test/support/fixtures';
import { bearer } from '../../test/support/test-app';

jest.setTimeout(120_000);

/** busybox httpd on whatever PORT Slipway gives the container: proves the port reaches it. */
const ON_PORT = ['sh', '-c', 'exec httpd -f -p "$PORT" -h /www'];

describe('the port a service listens on (docker runtime)', () => {
  let stack: DockerStack;

  beforeAll(async () => {
    stack = await startDockerStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  const admin = () => bearer(stack.t.adminToken);

  async function createService(body: object = {}): Promise<{ id: string; port: number }> {
    const id = await stack.createService('port');
    if (Object.keys(body).length === 0) return { id, port: 8080 };
    const res = await stack.t.http.put(`/v1/services/${id}`).set(admin()).send(body).expect(200);
    return res.body.data as { id: string; port: number };
  }

  async function deploy(serviceId: string, body: object): Promise<DeploymentResource> {
    const res = await stack.t.http
      .post(`/v1/services/${serviceId}/deploy`)
      .set(admin())
      .send(body)
      .expect(200);
    return stack.waitForDeployment(serviceId, (res.body.data as DeploymentResource).id);
  }

  async function serviceOf(id: string): Promise<{ port: number; status: string }> {
    const res = await stack.t.http.get(`/v1/services/${id}`).set(admin()).expect(200);
    return res.body.data as { port: number; status: string };
  }

  async function expectServedOn(serviceId: string, port: number): Promise<void> {
    const endpoints = await stack.route(serviceId);
    expect(endpoints.map((endpoint) => endpoint.port)).toEqual([port]);
    await expect(httpGet(endpoints[0]!, '/index.html')).resolves.toEqual({
      status: 200,
      body: `${SITE_TEXT}\n`,
    });
  }

  it('defaults to 8080, is set on create, and a deploy listens there with PORT given', async () => {
    const created = await stack.t.http
      .post('/v1/services')
      .set(admin())
      .send({
        name: `port-${Date.now().toString(36)}`,
        project_id: (await stack.t.http.get('/v1/projects').set(admin())).body.data[0].id,
        port: 9090,
      })
      .expect(200);
    expect(created.body.data.port).toBe(9090);
    const serviceId = created.body.data.id as string;

    const done = await deploy(serviceId, { image: stack.siteImage, command: ON_PORT });
    expect(done).toMatchObject({ status: 'succeeded', port: 9090 });
    await expectServedOn(serviceId, 9090);

    const fresh = await createService();
    expect((await serviceOf(fresh.id)).port).toBe(8080);
  });

  it('a port change on PUT redeploys at once; deploy and rollback carry their own port', async () => {
    const { id } = await createService();
    const first = await deploy(id, { image: stack.siteImage, command: ON_PORT });
    expect(first.port).toBe(8080);

    const put = await stack.t.http.put(`/v1/services/${id}`).set(admin()).send({ port: 9191 });
    expect(put.status).toBe(200);
    expect(put.body.data).toMatchObject({ port: 9191, status: 'deploying' });
    const history = await stack.t.http.get(`/v1/services/${id}/deployments`).set(admin());
    const newest = history.body.data[0] as DeploymentResource;
    expect(newest).toMatchObject({ trigger: 'port_update', port: 9191, image: stack.siteImage });
    await expect(stack.waitForDeployment(id, newest.id)).resolves.toMatchObject({
      status: 'succeeded',
    });
    await expectServedOn(id, 9191);

    // The same port again changes nothing and starts nothing.
    await stack.t.http.put(`/v1/services/${id}`).set(admin()).send({ port: 9191 }).expect(200);
    const after = await stack.t.http.get(`/v1/services/${id}/deployments`).set(admin());
    expect(after.body.data[0].id).toBe(newest.id);

    // A deploy naming a port sets the service's; a rollback brings its deployment's back.
    const third = await deploy(id, { image: stack.siteImage, command: ON_PORT, port: 7070 });
    expect(third).toMatchObject({ status: 'succeeded', port: 7070 });
    expect((await serviceOf(id)).port).toBe(7070);
    await expectServedOn(id, 7070);

    const rollback = await stack.t.http
      .post(`/v1/services/${id}/rollback`)
      .set(admin())
      .send({ deployment_id: first.id })
      .expect(200);
    const rolled = await stack.waitForDeployment(id, (rollback.body.data as DeploymentResource).id);
    expect(rolled).toMatchObject({ status: 'succeeded', port: 8080 });
    expect((await serviceOf(id)).port).toBe(8080);
    await expectServedOn(id, 8080);
  });

  describe('bad input', () => {
    it.each([0, 65536, -1, 1.5, '8080', null])(
      'port %p is refused on create, update and deploy',
      async (port) => {
        const { id } = await createService();
        const projects = await stack.t.http.get('/v1/projects').set(admin());
        const create = await stack.t.http
          .post('/v1/services')
          .set(admin())
          .send({ name: 'bad-port', project_id: projects.body.data[0].id, port })
          .expect(400);
        expect(expectError(create.body, ErrorCode.ValidationFailed).message).toMatch(/^port: /);
        const put = await stack.t.http
          .put(`/v1/services/${id}`)
          .set(admin())
          .send({ port })
          .expect(400);
        expect(expectError(put.body, ErrorCode.ValidationFailed).message).toMatch(/^port: /);
        const dep = await stack.t.http
          .post(`/v1/services/${id}/deploy`)
          .set(admin())
          .send({ image: stack.siteImage, port })
          .expect(400);
        expect(expectError(dep.body, ErrorCode.ValidationFailed).message).toMatch(/port: /);
        expect((await serviceOf(id)).port).toBe(8080);
      },
    );

    it('a PORT env var other than the port is refused, naming both', async () => {
      const { id } = await createService({ port: 9000 });
      const res = await stack.t.http
        .post(`/v1/services/${id}/deploy`)
        .set(admin())
        .send({ image: stack.siteImage, env: [{ name: 'PORT', value: '8080' }] })
        .expect(400);
      expect(expectError(res.body, ErrorCode.ValidationFailed).message).toContain(
        "PORT is set by Slipway to the service's port, 9000",
      );
    });

    it('a port change that the current deployment cannot take is refused and nothing changes', async () => {
      const { id } = await createService();
      const first = await deploy(id, {
        image: stack.siteImage,
        env: [{ name: 'PORT', value: '8080' }],
      });
      expect(first.status).toBe('succeeded');
      const res = await stack.t.http
        .put(`/v1/services/${id}`)
        .set(admin())
        .send({ port: 9000, description: 'changed' })
        .expect(400);
      expect(expectError(res.body, ErrorCode.ValidationFailed).message).toContain('env');
      expect(await serviceOf(id)).toMatchObject({ port: 8080 });
      const service = await stack.t.http.get(`/v1/services/${id}`).set(admin());
      expect(service.body.data.description).toBeNull();
    });

    it('a port change on a paused service is 409 and nothing changes', async () => {
      const { id } = await createService();
      await deploy(id, { image: stack.siteImage });
      const scale = await stack.t.http
        .post(`/v1/services/${id}/scale`)
        .set(admin())
        .send({ instances: 0 })
        .expect(202);
      await stack.waitForOperation(id, (scale.body.data as { id: string }).id);
      const res = await stack.t.http
        .put(`/v1/services/${id}`)
        .set(admin())
        .send({ port: 9000 })
        .expect(409);
      expect(expectError(res.body, ErrorCode.Conflict).message).toContain('paused');
      expect((await serviceOf(id)).port).toBe(8080);
    });
  });
});
