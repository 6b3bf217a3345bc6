/**
 * The reaper against a real engine: it removes this installation's unowned containers and
 * nothing else (not the live instance, not a fresh set-aside one, not another installation's).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { MANAGED_BY } from '@slipway/k8s-spec';
import { type DeploymentResource } from '@slipway/contracts';
import { startDockerStack, type DockerStack } from '../../test/support/docker-stack';
import { bearer } from '../../test/support/test-app';
import { DOCKER_LABELS, retiredContainerName } from '../runtime/docker/docker-naming';
import { InstanceReaper } from './instance-reaper';

jest.setTimeout(60_000);

describe('InstanceReaper (real engine)', () => {
  let stack: DockerStack;
  let installationId: string;

  beforeAll(async () => {
    stack = await startDockerStack();
    const [row] = await stack.t.dataSource.query<{ id: string }[]>('SELECT id FROM installation');
    installationId = row?.id ?? '';
  });
  afterAll(async () => {
    await stack?.close();
  });

  /** A sleeping container labelled as Slipway's, as a crash could leave one behind. */
  async function leftBehind(
    name: string,
    labels: { serviceId: string; installationId: string; deploymentId?: string },
  ): Promise<string> {
    const container = await stack.docker.createContainer({
      name,
      Image: stack.baseImage,
      Cmd: ['sleep', '300'],
      Labels: {
        [DOCKER_LABELS.managedBy]: MANAGED_BY,
        [DOCKER_LABELS.serviceId]: labels.serviceId,
        [DOCKER_LABELS.installationId]: labels.installationId,
        [DOCKER_LABELS.deploymentId]: labels.deploymentId ?? randomUUID(),
        'slipway.test': 'reaper',
      },
      HostConfig: { NetworkMode: stack.network, Init: true },
    });
    await container.start();
    return container.id;
  }

  async function exists(id: string): Promise<boolean> {
    const found = await stack.docker.listContainers({ all: true, filters: { id: [id] } });
    return found.length > 0;
  }

  it('removes what no deployment owns, and spares the rest', async () => {
    const serviceId = await stack.createService('reaped');
    const deploy = await stack.t.http
      .post(`/v1/services/${serviceId}/deploy`)
      .set(bearer(stack.t.adminToken))
      .send({ image: stack.siteImage })
      .expect(200);
    await stack.waitForDeployment(serviceId, (deploy.body.data as DeploymentResource).id);
    const [live] = await stack.docker.listContainers({
      filters: { label: [`${DOCKER_LABELS.serviceId}=${serviceId}`] },
    });
    const hex = () => randomBytes(6).toString('hex');
    const longAgo = Date.now() - 10 * 60_000;

    const ofDeletedService = await leftBehind(`slp-reaper-${hex()}`, {
      serviceId: randomUUID(),
      installationId,
    });
    const setAsideLongAgo = await leftBehind(retiredContainerName(hex(), longAgo), {
      serviceId,
      installationId,
    });
    const setAsideJustNow = await leftBehind(retiredContainerName(hex()), {
      serviceId,
      installationId,
    });
    const ofAnotherInstallation = await leftBehind(`slp-reaper-${hex()}`, {
      serviceId: randomUUID(),
      installationId: randomUUID(),
    });
    try {
      const reaped = await stack.t.app.get(InstanceReaper).sweep();

      expect(reaped.sort()).toEqual([ofDeletedService, setAsideLongAgo].sort());
      await expect(exists(ofDeletedService)).resolves.toBe(false);
      await expect(exists(setAsideLongAgo)).resolves.toBe(false);
      await expect(exists(setAsideJustNow)).resolves.toBe(true);
      await expect(exists(ofAnotherInstallation)).resolves.toBe(true);
      await expect(exists(live?.Id ?? '')).resolves.toBe(true);
      await expect(stack.t.app.get(InstanceReaper).sweep()).resolves.toEqual([]);
    } finally {
      for (const id of [setAsideJustNow, ofAnotherInstallation]) {
        await stack.docker.getContainer(id).remove({ force: true });
      }
    }
  });
});
