/**
 * Stateful services on the docker runtime: each instance keeps its own volume through
 * redeploys, restarts, scaling to zero and back and rollbacks; rollouts replace one
 * instance at a time so two instances drop no request; volumes are listed, and deleted with
 * the service unless kept.
 */
import { Readable } from 'node:stream';
import { type DeploymentResource, type ServiceOperationResource } from '@slipway/contracts';
import { describeCredentialChecks, withToken } from '../../test/support/credentials';
import {
  bundleOf,
  httpGet,
  startDockerStack,
  type DockerStack,
} from '../../test/support/docker-stack';
import { createTenant, expectError } from '../../test/support/fixtures';
import { bearer } from '../../test/support/test-app';
import { InstanceRestorer } from '../operations/instance-restorer';
import { type Endpoint } from '../runtime/runtime-driver';

jest.setTimeout(240_000);

/** Appends `?write=TEXT` to the instance's volume; otherwise answers its name and notes. */
const NOTES_CGI = `#!/bin/sh
printf 'Content-Type: text/plain\\r\\n\\r\\n'
case "$QUERY_STRING" in
  write=*) echo "\${QUERY_STRING#write=}" >> /var/lib/notes/notes && echo written ;;
  clear) rm -f /var/lib/notes/notes && echo cleared ;;
  *) echo "instance=$(hostname)"; cat /var/lib/notes/notes 2>/dev/null ;;
esac
`;

const VOLUMES = [{ name: 'notes', mount_path: '/var/lib/notes', size: '1Gi' }];

interface VolumeRow {
  name: string;
  ordinal: number;
  size: string | null;
  used_bytes: number | null;
  attached: boolean;
  runtime_name: string;
}

describe('stateful services (docker runtime)', () => {
  let stack: DockerStack;
  let notesImage = '';

  beforeAll(async () => {
    stack = await startDockerStack();
    notesImage = `${stack.siteImage.replace(/:1$/, '')}-notes:1`;
    const context = await bundleOf({
      Dockerfile: [
        `FROM ${stack.baseImage}`,
        'COPY notes.cgi /www/cgi-bin/notes',
        'CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]',
        '',
      ].join('\n'),
      'notes.cgi': { content: NOTES_CGI, mode: 0o755 },
    });
    const build = await stack.docker.buildImage(Readable.from([context]), {
      t: notesImage,
      labels: { 'slipway.test': 'notes' },
    });
    await new Promise<void>((resolve, reject) =>
      stack.docker.modem.followProgress(build, (error: Error | null) =>
        error ? reject(error) : resolve(),
      ),
    );
  });
  afterAll(async () => {
    await stack?.docker
      .getImage(notesImage)
      .remove({ force: true })
      .catch(() => undefined);
    await stack?.close();
  });

  const admin = () => bearer(stack.t.adminToken);

  async function settled(serviceId: string, deployment: DeploymentResource): Promise<void> {
    const ended = await stack.waitForDeployment(serviceId, deployment.id);
    expect({ status: ended.status, reason: ended.failure_reason }).toEqual({
      status: 'succeeded',
      reason: null,
    });
  }

  async function deploy(serviceId: string, settings: object = {}): Promise<DeploymentResource> {
    const res = await stack.t.http
      .post(`/v1/services/${serviceId}/deploy`)
      .set(admin())
      .send({
        image: notesImage,
        volumes: VOLUMES,
        health_check_path: '/cgi-bin/notes',
        ...settings,
      })
      .expect(200);
    const deployment = res.body.data as DeploymentResource;
    await settled(serviceId, deployment);
    return deployment;
  }

  async function operate(serviceId: string, path: string, body: object = {}): Promise<void> {
    const res = await stack.t.http
      .post(`/v1/services/${serviceId}/${path}`)
      .set(admin())
      .send(body)
      .expect(202);
    const operation = res.body.data as ServiceOperationResource;
    const status = await stack.waitForOperation(serviceId, operation.id);
    expect(status.operation?.status).toBe('succeeded');
  }

  /** Each routed instance's notes, by ordinal (the container name ends with it). */
  async function notesByOrdinal(serviceId: string): Promise<Record<number, string[]>> {
    const notes: Record<number, string[]> = {};
    for (const endpoint of await stack.route(serviceId)) {
      const { body } = await httpGet(endpoint, '/cgi-bin/notes');
      const [first = '', ...lines] = body.trim().split('\n');
      const ordinal = Number(/-(\d+)$/.exec(first)?.[1]);
      notes[ordinal] = lines;
    }
    return notes;
  }

  async function endpointOf(serviceId: string, ordinal: number): Promise<Endpoint> {
    for (const endpoint of await stack.route(serviceId)) {
      const { body } = await httpGet(endpoint, '/cgi-bin/notes');
      if (new RegExp(`-${ordinal}\\n`).test(body)) return endpoint;
    }
    throw new Error(`no routed instance ${ordinal}`);
  }

  async function volumes(serviceId: string): Promise<VolumeRow[]> {
    const res = await stack.t.http
      .get(`/v1/services/${serviceId}/volumes`)
      .set(admin())
      .expect(200);
    return (res.body as { data: VolumeRow[] }).data;
  }

  it('keeps each instance its own data through redeploys, restarts, 2 → 0 → 2 and a rollback', async () => {
    const serviceId = await stack.createService('notes');
    const first = await deploy(serviceId, { replicas: 2 });
    for (const ordinal of [0, 1]) {
      const res = await httpGet(
        await endpointOf(serviceId, ordinal),
        `/cgi-bin/notes?write=n${ordinal}`,
      );
      expect(res.body.trim()).toBe('written');
    }
    const expected = { 0: ['n0'], 1: ['n1'] };
    expect(await notesByOrdinal(serviceId)).toEqual(expected);
    expect(await volumes(serviceId)).toEqual(
      [0, 1].map((ordinal) => ({
        name: 'notes',
        ordinal,
        size: '1Gi',
        used_bytes: expect.any(Number),
        attached: true,
        runtime_name: expect.stringMatching(
          new RegExp(`^slipway-notes-[a-z0-9-]+-notes-${ordinal}$`),
        ),
      })),
    );

    await deploy(serviceId, { replicas: 2, env: [{ name: 'EDITION', value: '2' }] });
    expect(await notesByOrdinal(serviceId)).toEqual(expected);

    await operate(serviceId, 'restart');
    expect(await notesByOrdinal(serviceId)).toEqual(expected);

    await operate(serviceId, 'scale', { instances: 0 });
    expect((await volumes(serviceId)).map((v) => v.attached)).toEqual([false, false]);
    await operate(serviceId, 'scale', { instances: 2 });
    expect(await notesByOrdinal(serviceId)).toEqual(expected);

    await operate(serviceId, 'scale', { instances: 1 });
    expect((await volumes(serviceId)).map((v) => [v.ordinal, v.attached])).toEqual([
      [0, true],
      [1, false],
    ]);
    await operate(serviceId, 'scale', { instances: 2 });
    expect(await notesByOrdinal(serviceId)).toEqual(expected);

    const rolledBack = await stack.t.http
      .post(`/v1/services/${serviceId}/rollback`)
      .set(admin())
      .send({ deployment_id: first.id })
      .expect(200);
    await settled(serviceId, rolledBack.body.data as DeploymentResource);
    expect(await notesByOrdinal(serviceId)).toEqual(expected);
  });

  it('brings lost instances back on their own volumes when the API starts (the restorer)', async () => {
    const serviceId = await stack.createService('notes-lost');
    await deploy(serviceId, { replicas: 2 });
    for (const ordinal of [0, 1])
      await httpGet(await endpointOf(serviceId, ordinal), `/cgi-bin/notes?write=kept${ordinal}`);
    // Every container gone (an engine wiped, `docker compose down`): the volumes stay.
    const containers = await stack.docker.listContainers({
      all: true,
      filters: { label: [`slipway.service-id=${serviceId}`] },
    });
    for (const info of containers) await stack.docker.getContainer(info.Id).remove({ force: true });

    expect(await stack.t.app.get(InstanceRestorer).restore()).toContain(serviceId);
    const status = await stack.t.http
      .get(`/v1/services/${serviceId}/status`)
      .set(admin())
      .expect(200);
    const operation = (status.body.data as { operation: ServiceOperationResource }).operation;
    expect((await stack.waitForOperation(serviceId, operation.id)).operation?.status).toBe(
      'succeeded',
    );
    expect(await notesByOrdinal(serviceId)).toEqual({ 0: ['kept0'], 1: ['kept1'] });
  });

  it('rolls two instances one at a time under a steady request loop without losing a request', async () => {
    const serviceId = await stack.createService('notes-loop');
    await deploy(serviceId, { replicas: 2 });
    const load = stack.steadyLoad(serviceId, '/cgi-bin/notes');
    await deploy(serviceId, { replicas: 2, env: [{ name: 'EDITION', value: '2' }] });
    await operate(serviceId, 'restart');
    const { requests, failures } = await load.stop();
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(10);
  });

  it('measures the gap a single stateful instance has while it is replaced', async () => {
    const serviceId = await stack.createService('notes-one');
    await deploy(serviceId);
    const samples: { at: number; ok: boolean }[] = [];
    let running = true;
    const loop = (async () => {
      while (running) {
        const [endpoint] = await stack.route(serviceId);
        const ok = endpoint
          ? await httpGet(endpoint, '/cgi-bin/notes').then(
              (res) => res.status === 200,
              () => false,
            )
          : false;
        samples.push({ at: Date.now(), ok });
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    await deploy(serviceId, { env: [{ name: 'EDITION', value: '2' }] });
    running = false;
    await loop;
    const firstFailure = samples.findIndex((s) => !s.ok);
    const lastFailure = samples.map((s) => s.ok).lastIndexOf(false);
    const gapMs =
      firstFailure < 0
        ? 0
        : (samples[lastFailure + 1]?.at ?? Date.now()) -
          (samples[firstFailure - 1]?.at ?? samples[0]!.at);
    // The one instance stops before its replacement starts: a gap, measured and reported.
    process.stdout.write(
      `single stateful instance: ${gapMs} ms without an answer during a redeploy\n`,
    );
    expect(samples.at(-1)?.ok).toBe(true);
    expect(gapMs).toBeLessThan(30_000);
  });

  it('deletes the volumes with the service, or keeps them with keep_volumes=true', async () => {
    const kept = await stack.createService('notes-kept');
    await deploy(kept);
    const [volume] = await volumes(kept);
    await stack.t.http.delete(`/v1/services/${kept}?keep_volumes=true`).set(admin()).expect(200);
    await expect(stack.docker.getVolume(volume!.runtime_name).inspect()).resolves.toMatchObject({
      Name: volume!.runtime_name,
    });

    const gone = await stack.createService('notes-gone');
    await deploy(gone);
    const [other] = await volumes(gone);
    await stack.t.http.delete(`/v1/services/${gone}`).set(admin()).expect(200);
    await expect(stack.docker.getVolume(other!.runtime_name).inspect()).rejects.toMatchObject({
      statusCode: 404,
    });
  });

  it('refuses volumes it cannot honour, saying which and why', async () => {
    const serviceId = await stack.createService('notes-bad');
    const refused = async (volumesBody: unknown): Promise<string> => {
      const res = await stack.t.http
        .post(`/v1/services/${serviceId}/deploy`)
        .set(admin())
        .send({ image: notesImage, volumes: volumesBody })
        .expect(400);
      return expectError(res.body, 'validation_failed').message;
    };
    expect(await refused([{ name: 'data', mount_path: '/tmp/data', size: '1Gi' }])).toContain(
      'volumes[0].mount_path: must not be under /tmp',
    );
    expect(await refused([{ name: 'data', mount_path: '/data', size: '512Mi' }])).toContain(
      'volumes[0].size: must be in 1Gi..16Ti',
    );
    expect(
      await refused([
        { name: 'data', mount_path: '/data', size: '1Gi' },
        { name: 'data', mount_path: '/data/inner', size: '1Gi' },
      ]),
    ).toMatch(/volumes\[1\]\.name: duplicates "data".*volumes\[1\]\.mount_path: overlaps "\/data"/);
    expect(await refused([{ name: 'data', mount_path: '/data' }])).toContain('size');
    expect(
      await refused(
        Array.from({ length: 9 }, (_, i) => ({ name: `v${i}`, mount_path: `/v${i}`, size: '1Gi' })),
      ),
    ).toContain('volumes: must hold at most 8 volumes');
  });

  interface Transfer {
    id: string;
    kind: string;
    status: string;
    size_bytes: number | null;
    progress_bytes: number;
    sha256: string | null;
    failure_reason: string | null;
  }

  async function transferred(serviceId: string, started: Transfer): Promise<Transfer> {
    for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
      const res = await stack.t.http
        .get(`/v1/services/${serviceId}/volume-transfers/${started.id}`)
        .set(admin())
        .expect(200);
      const transfer = res.body.data as Transfer;
      if (transfer.status !== 'running') return transfer;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`transfer ${started.id} still running`);
  }

  function startTransfer(serviceId: string, path: string, body: object = {}) {
    return stack.t.http.post(`/v1/services/${serviceId}/volumes/${path}`).set(admin()).send(body);
  }

  it('backs a volume up with its checksum and restores it into a stopped instance, of the same service or a new one', async () => {
    const serviceId = await stack.createService('notes-backup');
    await deploy(serviceId);
    const [endpoint] = await stack.route(serviceId);
    await httpGet(endpoint!, '/cgi-bin/notes?write=keep-me');
    const started = await startTransfer(serviceId, 'notes/0/backups').expect(202);
    const backup = await transferred(serviceId, started.body.data as Transfer);
    expect(backup).toMatchObject({
      kind: 'backup',
      status: 'succeeded',
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      failure_reason: null,
    });
    expect(backup.size_bytes).toBeGreaterThan(0);
    expect(backup.progress_bytes).toBe(backup.size_bytes);

    await httpGet(endpoint!, '/cgi-bin/notes?clear');
    expect((await notesByOrdinal(serviceId))[0]).toEqual([]);
    const busy = await startTransfer(serviceId, 'notes/0/restores', {
      backup_id: backup.id,
    }).expect(409);
    expect(expectError(busy.body, 'conflict').message).toContain(
      'Instance 0 is running and mounts volume notes: pause the service',
    );

    await operate(serviceId, 'scale', { instances: 0 });
    const restoring = await startTransfer(serviceId, 'notes/0/restores', {
      backup_id: backup.id,
    }).expect(202);
    const restored = await transferred(serviceId, restoring.body.data as Transfer);
    expect(restored).toMatchObject({ kind: 'restore', status: 'succeeded', sha256: backup.sha256 });
    await operate(serviceId, 'scale', { instances: 1 });
    expect((await notesByOrdinal(serviceId))[0]).toEqual(['keep-me']);

    // Into a new service: deployed once (its volume exists), then paused.
    const copy = await stack.createService('notes-copy');
    await deploy(copy);
    await operate(copy, 'scale', { instances: 0 });
    const copied = await startTransfer(copy, 'notes/0/restores', { backup_id: backup.id }).expect(
      202,
    );
    expect((await transferred(copy, copied.body.data as Transfer)).status).toBe('succeeded');
    await operate(copy, 'scale', { instances: 1 });
    expect((await notesByOrdinal(copy))[0]).toEqual(['keep-me']);

    const listed = await stack.t.http
      .get(`/v1/services/${serviceId}/volume-transfers`)
      .set(admin())
      .expect(200);
    expect((listed.body.data as Transfer[]).map((t) => [t.kind, t.status])).toEqual([
      ['restore', 'succeeded'],
      ['backup', 'succeeded'],
    ]);
  });

  it('refuses transfers it cannot do, saying why', async () => {
    const serviceId = await stack.createService('notes-refused');
    await deploy(serviceId);
    const badOrdinal = await startTransfer(serviceId, 'notes/x/backups').expect(400);
    expect(expectError(badOrdinal.body, 'validation_failed').message).toContain('ordinal');
    const badName = await startTransfer(serviceId, 'Not_A_Name/0/backups').expect(400);
    expect(expectError(badName.body, 'validation_failed').message).toContain('name');
    const noVolume = await startTransfer(serviceId, 'other/0/backups').expect(404);
    expect(expectError(noVolume.body, 'not_found').message).toContain(
      'has no volume other for instance 0',
    );
    const noBackupId = await startTransfer(serviceId, 'notes/0/restores', {}).expect(400);
    expect(expectError(noBackupId.body, 'validation_failed').message).toContain('backup_id');
    const unknownBackup = await startTransfer(serviceId, 'notes/0/restores', {
      backup_id: '00000000-0000-4000-8000-000000000000',
    }).expect(404);
    expectError(unknownBackup.body, 'not_found');

    // Another tenant cannot back up this service, nor restore its backup into their own.
    const started = await startTransfer(serviceId, 'notes/0/backups').expect(202);
    const backup = await transferred(serviceId, started.body.data as Transfer);
    const stranger = await createTenant(stack.t);
    await stack.t.http
      .post(`/v1/services/${serviceId}/volumes/notes/0/backups`)
      .set(bearer(stranger.user.token))
      .expect(404);
    const theirs = await stack.t.http
      .post('/v1/services')
      .set(bearer(stranger.user.token))
      .send({ name: 'theirs', project_id: stranger.projectId })
      .expect(200);
    const foreign = await stack.t.http
      .post(`/v1/services/${(theirs.body.data as { id: string }).id}/volumes/notes/0/restores`)
      .set(bearer(stranger.user.token))
      .send({ backup_id: backup.id })
      .expect(404);
    expect(expectError(foreign.body, 'not_found').message).toContain(`Backup ${backup.id}`);
  });

  it("answers 404 for another tenant's service and for one that does not exist", async () => {
    const serviceId = await stack.createService('notes-private');
    const stranger = await createTenant(stack.t);
    const foreign = await stack.t.http
      .get(`/v1/services/${serviceId}/volumes`)
      .set(bearer(stranger.user.token))
      .expect(404);
    expectError(foreign.body, 'not_found');
    await stack.t.http
      .get('/v1/services/00000000-0000-4000-8000-000000000000/volumes')
      .set(admin())
      .expect(404);
    const bad = await stack.t.http.get('/v1/services/not-a-uuid/volumes').set(admin()).expect(400);
    expectError(bad.body, 'validation_failed');
    expect(await volumes(serviceId)).toEqual([]);
  });

  describeCredentialChecks(
    () => stack.t,
    () => [
      [
        'GET volumes',
        (token) =>
          withToken(
            stack.t.http.get('/v1/services/00000000-0000-4000-8000-000000000000/volumes'),
            token,
          ),
      ],
      [
        'POST backups',
        (token) =>
          withToken(
            stack.t.http.post(
              '/v1/services/00000000-0000-4000-8000-000000000000/volumes/data/0/backups',
            ),
            token,
          ),
      ],
      [
        'POST restores',
        (token) =>
          withToken(
            stack.t.http.post(
              '/v1/services/00000000-0000-4000-8000-000000000000/volumes/data/0/restores',
            ),
            token,
          ).send({ backup_id: '00000000-0000-4000-8000-000000000000' }),
      ],
      [
        'GET volume-transfers',
        (token) =>
          withToken(
            stack.t.http.get('/v1/services/00000000-0000-4000-8000-000000000000/volume-transfers'),
            token,
          ),
      ],
    ],
  );
});
