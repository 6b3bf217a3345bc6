/**
 * Deleting a running service on the docker runtime: by default its instances drain and get
 * SIGTERM with their grace period; `?force=true` kills them at once. Docker's own event
 * stream says which signal each container received.
 */
import { type DeploymentResource } from '@slipway/contracts';
import type Dockerode from 'dockerode';
import { startDockerStack, type DockerStack } from '../../test/support/docker-stack';
import { bearer } from '../../test/support/test-app';

jest.setTimeout(120_000);

interface ContainerEvent {
  readonly action: string;
  readonly signal?: string;
}

/** Records the events of the service's containers until `stop` is called. */
async function watchEvents(docker: Dockerode, serviceId: string) {
  const events: ContainerEvent[] = [];
  const stream = (await docker.getEvents({
    filters: { type: ['container'], label: [`slipway.service-id=${serviceId}`] },
  })) as NodeJS.ReadableStream & { destroy(): void };
  let buffered = '';
  stream.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines.filter((l) => l.trim() !== '')) {
      const event = JSON.parse(line) as {
        Action: string;
        Actor: { Attributes: Record<string, string> };
      };
      events.push({ action: event.Action, signal: event.Actor.Attributes.signal });
    }
  });
  return {
    events,
    stop: () => stream.destroy(),
  };
}

describe('deleting a running service (docker runtime)', () => {
  let stack: DockerStack;

  beforeAll(async () => {
    stack = await startDockerStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  const admin = () => bearer(stack.t.adminToken);

  async function running(): Promise<string> {
    const id = await stack.createService('del');
    const res = await stack.t.http
      .post(`/v1/services/${id}/deploy`)
      .set(admin())
      .send({ image: stack.siteImage, stop_grace_period_seconds: 5 })
      .expect(200);
    const done = await stack.waitForDeployment(id, (res.body.data as DeploymentResource).id);
    expect(done.status).toBe('succeeded');
    return id;
  }

  async function remaining(id: string): Promise<number> {
    const containers = await stack.docker.listContainers({
      all: true,
      filters: { label: [`slipway.service-id=${id}`] },
    });
    return containers.length;
  }

  it('drains by default: SIGTERM first, then the container is removed', async () => {
    const id = await running();
    const watch = await watchEvents(stack.docker, id);
    try {
      await stack.t.http.delete(`/v1/services/${id}`).set(admin()).expect(200);
      await new Promise((resolve) => setTimeout(resolve, 300)); // the last events arrive
    } finally {
      watch.stop();
    }
    const kills = watch.events.filter((event) => event.action === 'kill');
    expect(kills[0]?.signal).toBe('15');
    expect(watch.events.map((event) => event.action)).toEqual(
      expect.arrayContaining(['stop', 'destroy']),
    );
    expect(await remaining(id)).toBe(0);
    await stack.t.http.get(`/v1/services/${id}`).set(admin()).expect(404);
  });

  it('?force=true kills at once: SIGKILL, never SIGTERM', async () => {
    const id = await running();
    const watch = await watchEvents(stack.docker, id);
    try {
      await stack.t.http.delete(`/v1/services/${id}?force=true`).set(admin()).expect(200);
      await new Promise((resolve) => setTimeout(resolve, 300));
    } finally {
      watch.stop();
    }
    const signals = watch.events.filter((e) => e.action === 'kill').map((e) => e.signal);
    expect(signals).toContain('9');
    expect(signals).not.toContain('15');
    expect(watch.events.map((event) => event.action)).toContain('destroy');
    expect(await remaining(id)).toBe(0);
  });
});
