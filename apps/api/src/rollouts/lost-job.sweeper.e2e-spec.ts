/**
 * Nothing in progress is lost with the queue store: the sweeper queues a rollout whose job
 * vanished again, and ends one whose job ended without it.
 */
import { randomUUID } from 'node:crypto';
import { type DeploymentResource } from '@slipway/contracts';
import { startDockerStack, type DockerStack } from '../../test/support/docker-stack';
import { bearer } from '../../test/support/test-app';
import { LostJobSweeper } from './lost-job.sweeper';

jest.setTimeout(60_000);

describe('LostJobSweeper', () => {
  let stack: DockerStack;

  beforeAll(async () => {
    stack = await startDockerStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  /** A service with one succeeded deployment, and a copy of it `deploying` with no job. */
  async function orphanedRollout(): Promise<{ serviceId: string; deploymentId: string }> {
    const serviceId = await stack.createService('lost');
    const res = await stack.t.http
      .post(`/v1/services/${serviceId}/deploy`)
      .set(bearer(stack.t.adminToken))
      .send({ image: stack.siteImage })
      .expect(200);
    await stack.waitForDeployment(serviceId, (res.body.data as DeploymentResource).id);
    const deploymentId = randomUUID();
    await stack.t.dataSource.query(
      `INSERT INTO deployments (id, service_id, org_id, project_id, status, trigger, started_by,
         started_at, image, settings)
       SELECT $1, service_id, org_id, project_id, 'deploying', 'redeploy', started_by,
         now() - interval '1 minute', image, settings
       FROM deployments WHERE id = $2`,
      [deploymentId, (res.body.data as DeploymentResource).id],
    );
    return { serviceId, deploymentId };
  }

  it('queues a rollout whose job was lost again, and it completes', async () => {
    const { serviceId, deploymentId } = await orphanedRollout();
    await stack.t.app.get(LostJobSweeper).sweep();
    await expect(stack.waitForDeployment(serviceId, deploymentId)).resolves.toMatchObject({
      status: 'succeeded',
    });
  });

  it('leaves rows alone while they may still be on their way into the queue', async () => {
    const { serviceId, deploymentId } = await orphanedRollout();
    await stack.t.app.get(LostJobSweeper).sweep(Date.now() - 5 * 60_000);
    const res = await stack.t.http
      .get(`/v1/services/${serviceId}/deployments/${deploymentId}`)
      .set(bearer(stack.t.adminToken))
      .expect(200);
    expect((res.body.data as DeploymentResource).status).toBe('deploying');
    // Cleaned up for the next test: the sweep at the real time queues it.
    await stack.t.app.get(LostJobSweeper).sweep();
    await stack.waitForDeployment(serviceId, deploymentId);
  });
});
