/**
 * Source deploys as the API receives them: the multipart shapes (ours and the Dynamiq CLI's),
 * every rejected bundle, and the builders' bundle endpoint with its build token. The build
 * itself is covered by deploy-pipeline.e2e-spec.ts.
 */
import {
  ErrorCode,
  JOB_NAMES,
  QUEUES,
  deploymentJobId,
  type BuildJobPayload,
  type DeploymentResource,
} from '@slipway/contracts';
import { Queue } from 'bullmq';
import { bundleOf, rawBundle } from '../../test/support/docker-stack';
import { adminDefaults, expectError, uniqueName } from '../../test/support/fixtures';
import { bearer, startTestApp, type TestApp } from '../../test/support/test-app';

const MAX_BYTES = 64 * 1024;

describe('source deploys: upload and bundle intake', () => {
  let t: TestApp;
  let serviceId: string;
  let builds: Queue;
  let bundle: Buffer;

  beforeAll(async () => {
    t = await startTestApp({
      overrides: { 'bundles.maxBytes': MAX_BYTES, 'registry.host': 'registry.test:5000' },
    });
    const { projectId } = await adminDefaults(t);
    const res = await t.http
      .post('/v1/services')
      .set(bearer(t.adminToken))
      .send({ name: uniqueName('src'), project_id: projectId })
      .expect(200);
    serviceId = res.body.data.id as string;
    builds = new Queue(QUEUES.build, {
      connection: { url: t.config.redis.url },
      prefix: t.config.queues.prefix,
    });
    bundle = await bundleOf({
      Dockerfile: 'FROM scratch\nCOPY index.html /\n',
      'index.html': 'hi\n',
    });
  });
  afterAll(async () => {
    await builds?.close();
    await t?.close();
  });

  const deploy = () => t.http.post(`/v1/services/${serviceId}/deploy`).set(bearer(t.adminToken));
  const data = (extra: Record<string, unknown> = {}) =>
    JSON.stringify({ docker: { file: 'Dockerfile', context: '.' }, ...extra });

  /** The queued build of an uploaded bundle (which a source deploy always is). */
  async function buildJob(
    deploymentId: string,
  ): Promise<BuildJobPayload & { bundle: NonNullable<BuildJobPayload['bundle']> }> {
    const job = await builds.getJob(deploymentJobId('build', deploymentId));
    expect(job?.name).toBe(JOB_NAMES.build);
    const payload = job!.data as BuildJobPayload;
    if (!payload.bundle) throw new Error('a source deploy queues a build of its bundle');
    return { ...payload, bundle: payload.bundle };
  }

  it('accepts the Dynamiq CLI upload (archive.tar.gz as application/x-tar, data as a field) and queues a build', async () => {
    const res = await deploy()
      .field('data', data({ env: [{ name: 'TOKEN', value: 'hidden', secret: true }] }))
      .attach('source', bundle, { filename: 'archive.tar.gz', contentType: 'application/x-tar' })
      .expect(200);
    const created = res.body.data as DeploymentResource;
    expect(created).toMatchObject({
      status: 'building',
      image: expect.stringMatching(
        new RegExp(`^registry\\.test:5000/default/default/src-[0-9a-f]+:${created.id}$`),
      ) as unknown,
      image_digest: null,
      source: {
        type: 'archive',
        size_bytes: bundle.length,
        docker: { file: 'Dockerfile', context: '.' },
      },
    });
    expect(created.source?.sha256).toMatch(/^[0-9a-f]{64}$/);
    const payload = await buildJob(created.id);
    expect(payload).toMatchObject({
      deploymentId: created.id,
      serviceId,
      destination: created.image,
      docker: { file: 'Dockerfile', context: '.' },
      bundle: { sha256: created.source?.sha256, sizeBytes: bundle.length },
    });
    // The job carries the build token, never the secret env.
    expect(JSON.stringify(payload)).not.toContain('hidden');
  });

  it('serves the bundle to a builder a bounded number of times with its token, and to nobody else', async () => {
    const res = await deploy()
      .field('data', data())
      .attach('source', bundle, 'archive.tar.gz')
      .expect(200);
    const id = res.body.data.id as string;
    const { bundle: ref } = await buildJob(id);
    const path = new URL(ref.url).pathname;
    expect(path).toBe(`/internal/v1/bundles/${id}`);

    const missing = await t.http.get(path).expect(401);
    expectError(missing.body, ErrorCode.Unauthorized);
    await t.http.get(path).set(bearer('wrong-token-wrong-token')).expect(401);

    for (let fetch = 1; fetch <= t.config.deploy.buildAttempts * 2; fetch++) {
      const download = await t.http
        .get(path)
        .set(bearer(ref.token))
        .buffer(true)
        .parse((r, done) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => done(null, Buffer.concat(chunks)));
        });
      expect(download.status).toBe(200);
      expect(download.headers['x-content-sha256']).toBe(ref.sha256);
      expect(Buffer.compare(download.body as Buffer, bundle)).toBe(0);
    }
    const usedUp = await t.http.get(path).set(bearer(ref.token)).expect(401);
    expect(usedUp.body.error.message).toMatch(/already used/);
  });

  it('cancels an older build when a newer deploy arrives, and its token stops working', async () => {
    const first = await deploy()
      .field('data', data())
      .attach('source', bundle, 'archive.tar.gz')
      .expect(200);
    const { bundle: ref } = await buildJob(first.body.data.id as string);
    await deploy().field('data', data()).attach('source', bundle, 'archive.tar.gz').expect(200);
    const older = await t.http
      .get(`/v1/services/${serviceId}/deployments/${first.body.data.id}`)
      .set(bearer(t.adminToken))
      .expect(200);
    expect(older.body.data.status).toBe('cancelled');
    await t.http.get(new URL(ref.url).pathname).set(bearer(ref.token)).expect(401);
  });

  it.each([
    [
      'absolute path',
      rawBundle({ path: '/etc/cron.d/x', type: 'File', body: 'x' }),
      /absolute path/,
    ],
    [
      '.. traversal',
      rawBundle({ path: '../../outside', type: 'File', body: 'x' }),
      /leaves the bundle/,
    ],
    [
      'symlink',
      rawBundle({ path: 'passwd', type: 'SymbolicLink', linkpath: '/etc/passwd' }),
      /links are not allowed/,
    ],
    [
      'hard link',
      rawBundle({ path: 'copy', type: 'Link', linkpath: 'Dockerfile' }),
      /links are not allowed/,
    ],
    [
      'character device',
      rawBundle({ path: 'null', type: 'CharacterDevice', devmaj: 1, devmin: 3 }),
      /device/,
    ],
    ['not gzip', Buffer.from('plain text, not an archive'), /gzip/],
  ])(
    'rejects a bundle with %s: 400 with the reason, nothing queued',
    async (_name, archive, reason) => {
      const before = await builds.count();
      const res = await deploy()
        .field('data', data())
        .attach('source', archive, 'archive.tar.gz')
        .expect(400);
      expect(expectError(res.body, ErrorCode.ValidationFailed).message).toMatch(/^source: /);
      expect(res.body.error.message).toMatch(reason);
      expect(await builds.count()).toBe(before);
    },
  );

  it('rejects a bundle over the size limit with 413', async () => {
    const res = await deploy()
      .field('data', data())
      .attach('source', Buffer.alloc(MAX_BYTES + 1, 1), 'archive.tar.gz')
      .expect(413);
    expect(expectError(res.body, ErrorCode.PayloadTooLarge).message).toBe(
      `source: the bundle exceeds the limit of ${MAX_BYTES} bytes`,
    );
  });

  it.each([
    [{ file: '../Dockerfile', context: '.' }, /docker\.file/],
    [{ file: 'Dockerfile', context: '/abs' }, /docker\.context/],
    [{ file: 'Dockerfile' }, /^docker\.context: is required/],
  ])('rejects docker paths %j', async (docker, message) => {
    const res = await deploy()
      .field('data', JSON.stringify({ docker }))
      .attach('source', bundle, 'archive.tar.gz')
      .expect(400);
    expect(expectError(res.body, ErrorCode.ValidationFailed).message).toMatch(message);
  });

  it.each([
    [
      'no source part',
      (r: ReturnType<typeof deploy>) => r.field('data', data()),
      /^source: is required/,
    ],
    [
      'no data part',
      (r: ReturnType<typeof deploy>) => r.attach('source', bundle, 'archive.tar.gz'),
      /^data: is required/,
    ],
    [
      'data not JSON',
      (r: ReturnType<typeof deploy>) => r.field('data', '{nope').attach('source', bundle, 'a.tgz'),
      /^data: is not valid JSON/,
    ],
    [
      'data without docker',
      (r: ReturnType<typeof deploy>) => r.field('data', '{}').attach('source', bundle, 'a.tgz'),
      /^docker: is required/,
    ],
    [
      'image with a bundle',
      (r: ReturnType<typeof deploy>) =>
        r.field('data', data({ image: 'x:1' })).attach('source', bundle, 'a.tgz'),
      /^image: cannot be combined/,
    ],
    [
      'a second file',
      (r: ReturnType<typeof deploy>) =>
        r.field('data', data()).attach('source', bundle, 'a.tgz').attach('extra', bundle, 'b.tgz'),
      /^source: send exactly one file part/,
    ],
    [
      'an unknown field',
      (r: ReturnType<typeof deploy>) =>
        r.field('data', data()).field('image', 'x').attach('source', bundle, 'a.tgz'),
      /^image: unknown form field/,
    ],
  ])('multipart with %s → 400', async (_name, build, message) => {
    const res = await build(deploy());
    expect(res.status).toBe(400);
    expect(expectError(res.body, ErrorCode.ValidationFailed).message).toMatch(message);
  });

  it('Idempotency-Key covers the bundle: the same key with another bundle is 422', async () => {
    const key = uniqueName('src-key');
    const first = await deploy()
      .set('Idempotency-Key', key)
      .field('data', data())
      .attach('source', bundle, 'a.tgz')
      .expect(200);
    const replay = await deploy()
      .set('Idempotency-Key', key)
      .field('data', data())
      .attach('source', bundle, 'a.tgz')
      .expect(200);
    expect(replay.body.data.id).toBe(first.body.data.id);
    const other = await bundleOf({ Dockerfile: 'FROM scratch\n' });
    const res = await deploy()
      .set('Idempotency-Key', key)
      .field('data', data())
      .attach('source', other, 'a.tgz')
      .expect(422);
    expectError(res.body, ErrorCode.IdempotencyKeyReused);
  });

  it('the internal bundle endpoint answers 400 for a malformed id and 401 without a token', async () => {
    await t.http.get('/internal/v1/bundles/not-a-uuid').set(bearer('x')).expect(400);
    await t.http
      .get('/internal/v1/bundles/00000000-0000-4000-8000-000000000000')
      .set(bearer('nope-nope-nope'))
      .expect(401);
  });
});

describe('a source deploy no builder takes', () => {
  it('ends build_failed after the build deadline, saying a builder may be missing', async () => {
    const t = await startTestApp({ overrides: { 'deploy.buildDeadlineSeconds': 1 } });
    try {
      const { projectId } = await adminDefaults(t);
      const service = await t.http
        .post('/v1/services')
        .set(bearer(t.adminToken))
        .send({ name: uniqueName('orphan'), project_id: projectId })
        .expect(200);
      const serviceId = service.body.data.id as string;
      const res = await t.http
        .post(`/v1/services/${serviceId}/deploy`)
        .set(bearer(t.adminToken))
        .field('data', JSON.stringify({ docker: { file: 'Dockerfile', context: '.' } }))
        .attach('source', await bundleOf({ Dockerfile: 'FROM scratch\n' }), 'archive.tar.gz')
        .expect(200);
      let deployment: DeploymentResource = res.body.data as DeploymentResource;
      // The 1 s deadline, swept every 500 ms: generous for a loaded machine.
      const deadline = Date.now() + 20_000;
      while (deployment.status === 'building' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        const current = await t.http
          .get(`/v1/services/${serviceId}/deployments/${deployment.id}`)
          .set(bearer(t.adminToken))
          .expect(200);
        deployment = current.body.data as DeploymentResource;
      }
      expect(deployment.status).toBe('build_failed');
      expect(deployment.failure_reason).toMatch(/did not finish within 1 s.*is a builder running/);
      const after = await t.http
        .get(`/v1/services/${serviceId}`)
        .set(bearer(t.adminToken))
        .expect(200);
      expect(after.body.data.status).toBe('failed');
    } finally {
      await t.close();
    }
  });
});
