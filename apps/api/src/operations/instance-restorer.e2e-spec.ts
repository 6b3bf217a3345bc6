/**
 * Services whose instances are gone altogether come back: a restart recreates missing ones,
 * the restorer restarts every running service that has none at start, and the local stack's
 * janitor removes exactly the instances on its network.
 */
import { MANAGED_BY } from '@slipway/k8s-spec';
import { type DeploymentResource, type ServiceOperationResource } from '@slipway/contracts';
import { startDockerStack, type DockerStack } from '../../test/support/docker-stack';
import { bearer } from '../../test/support/test-app';
import { removeServiceInstances } from '../runtime/docker/janitor';
import { InstanceRestorer } from './instance-restorer';

jest.setTimeout(120_000);

describe('lost instances', () => {
  let stack: DockerStack;

  beforeAll(async () => {
    stack = await startDockerStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  const admin = () => bearer(stack.t.adminToken);

  async function deployed(prefix: string, replicas: number): Promise<string> {
    const serviceId = await stack.createService(prefix);
    const res = await stack.t.http
      .post(`/v1/services/${serviceId}/deploy`)
      .set(admin())
      .send({ image: stack.siteImage, health_check_path: '/index.html', replicas })
      .expect(200);
    const deployment = res.body.data as DeploymentResource;
    expect((await stack.waitForDeployment(serviceId, deployment.id)).status).toBe('succeeded');
    return serviceId;
  }

  async function containers(serviceId: string): Promise<string[]> {
    const list = await stack.docker.listContainers({
      all: true,
      filters: { label: [`slipway.service-id=${serviceId}`] },
    });
    return list.map((info) => info.Id);
  }

  async function removeAll(serviceId: string): Promise<void> {
    for (const id of await containers(serviceId)) {
      await stack.docker.getContainer(id).remove({ force: true });
    }
  }

  async function latestOperation(serviceId: string): Promise<ServiceOperationResource> {
    const res = await stack.t.http.get(`/v1/services/${serviceId}/status`).set(admin()).expect(200);
    return (res.body.data as { operation: ServiceOperationResource }).operation;
  }

  it('a restart recreates an instance that was removed, back to the instance count', async () => {
    const serviceId = await deployed('restart-missing', 2);
    const [first] = await containers(serviceId);
    await stack.docker.getContainer(first ?? '').remove({ force: true });
    const res = await stack.t.http
      .post(`/v1/services/${serviceId}/restart`)
      .set(admin())
      .send({})
      .expect(202);
    const operation = res.body.data as ServiceOperationResource;
    const status = await stack.waitForOperation(serviceId, operation.id);
    expect(status).toMatchObject({ status: 'running', desired: 2, available: 2 });
    expect(await stack.route(serviceId)).toHaveLength(2);
  });

  it('restarts each running service that has no instances left, and leaves the others alone', async () => {
    const lost = await deployed('lost', 2);
    const intact = await deployed('intact', 1);
    const paused = await deployed('paused', 1);
    const pause = await stack.t.http
      .post(`/v1/services/${paused}/scale`)
      .set(admin())
      .send({ instances: 0 })
      .expect(202);
    await stack.waitForOperation(paused, (pause.body.data as ServiceOperationResource).id);
    await removeAll(lost);
    await removeAll(paused);
    const intactBefore = await containers(intact);

    const restarted = await stack.t.app.get(InstanceRestorer).restore();

    expect(restarted).toEqual([lost]);
    const operation = await latestOperation(lost);
    expect(operation).toMatchObject({ kind: 'restart', instances: 2 });
    const status = await stack.waitForOperation(lost, operation.id);
    expect(status).toMatchObject({ status: 'running', available: 2 });
    expect(await stack.route(lost)).toHaveLength(2);
    expect(await containers(intact)).toEqual(intactBefore);
    expect(await containers(paused)).toEqual([]);
  });

  it('the janitor removes the Slipway instances on its network and nothing else', async () => {
    const serviceId = await deployed('janitor', 2);
    const other = await stack.docker.createNetwork({ Name: `${stack.network}-other` });
    const bystanders = await Promise.all([
      // Slipway's label on another network, and a plain container on this one.
      stack.docker.createContainer({
        Image: stack.baseImage,
        Cmd: ['sleep', '300'],
        Labels: { 'slipway.managed-by': MANAGED_BY },
        HostConfig: { NetworkMode: `${stack.network}-other` },
      }),
      stack.docker.createContainer({
        Image: stack.baseImage,
        Cmd: ['sleep', '300'],
        HostConfig: { NetworkMode: stack.network },
      }),
    ]);
    try {
      const removed = await removeServiceInstances(stack.docker, stack.network);
      // This service's two, and those the tests above left on the same network.
      expect(removed).toEqual(
        expect.arrayContaining([expect.stringMatching(/^slp-janitor-.*-0$/)]),
      );
      expect(await containers(serviceId)).toEqual([]);
      const left = await stack.docker.listContainers({
        all: true,
        filters: { label: [`slipway.managed-by=${MANAGED_BY}`], network: [stack.network] },
      });
      expect(left).toEqual([]);
      for (const bystander of bystanders) {
        expect((await bystander.inspect()).Id).toBe(bystander.id);
      }
    } finally {
      await Promise.all(bystanders.map((c) => c.remove({ force: true })));
      await other.remove();
    }
  });
});
