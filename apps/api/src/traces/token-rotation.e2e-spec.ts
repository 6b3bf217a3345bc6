/**
 * POST /v1/services/{id}/token/rotate. On a live service (docker runtime) a new deployment
 * rolls the new token into the containers while the old one stays accepted for a while;
 * the other cases need no running instance.
 */
import {
  CHANNELS,
  ErrorCode,
  INJECTED_ENV,
  RevocationMessageSchema,
  type DeploymentResource,
} from '@slipway/contracts';
import Redis from 'ioredis';
import { describeCredentialChecks, withToken } from '../../test/support/credentials';
import { startDockerStack, type DockerStack } from '../../test/support/docker-stack';
import { eventually } from '../../test/support/eventually';
import { adminDefaults, createTenant, expectError } from '../../test/support/fixtures';
import { bearer } from '../../test/support/test-app';
import { CredentialHasher, SecretBox } from '../common/crypto/crypto.module';

jest.setTimeout(120_000);

describe('service token rotation', () => {
  let stack: DockerStack;

  beforeAll(async () => {
    stack = await startDockerStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  const admin = () => bearer(stack.t.adminToken);

  /** Hashes of the service token each running instance was given. */
  async function instanceTokenHashes(serviceId: string): Promise<string[]> {
    const pods = await stack.t.http.get(`/v1/services/${serviceId}/pods`).set(admin()).expect(200);
    const hasher = stack.t.app.get(CredentialHasher);
    const hashes: string[] = [];
    for (const pod of pods.body.data as { name: string }[]) {
      // A retiring instance listed a moment ago may be removed before it is inspected.
      const info = await stack.docker
        .getContainer(pod.name)
        .inspect()
        .catch((err: { statusCode?: number }) => {
          if (err.statusCode === 404) return undefined;
          throw err;
        });
      if (!info) continue;
      const entry = info.Config.Env.find((e) => e.startsWith(`${INJECTED_ENV.serviceToken}=`));
      hashes.push(hasher.hash(entry?.slice(INJECTED_ENV.serviceToken.length + 1) ?? ''));
    }
    return hashes;
  }

  const tokenRow = async (serviceId: string) =>
    (
      await stack.t.dataSource.query<
        {
          token_hash: string;
          token_ciphertext: string;
          previous_token_hash: string | null;
          previous_token_expires_at: Date | null;
        }[]
      >(
        'SELECT token_hash, token_ciphertext, previous_token_hash, previous_token_expires_at FROM services WHERE id = $1',
        [serviceId],
      )
    )[0];

  describe('with nothing running', () => {
    it('replaces the token, keeps the old one for the grace period and publishes the revocation', async () => {
      const id = await stack.createService('rotate');
      const before = await tokenRow(id);
      const subscriber = new Redis(stack.t.config.redis.url);
      const received = new Promise<string>((resolve) =>
        subscriber.on('message', (_channel: string, message: string) => resolve(message)),
      );
      await subscriber.subscribe(CHANNELS.serviceTokenRevocations);
      try {
        const res = await stack.t.http
          .post(`/v1/services/${id}/token/rotate`)
          .set(admin())
          .expect(200);
        const data = res.body.data as {
          service_id: string;
          previous_token_expires_at: string;
          deployment_id: string | null;
        };
        expect(Object.keys(data).sort()).toEqual([
          'deployment_id',
          'previous_token_expires_at',
          'service_id',
        ]);
        expect(data).toMatchObject({ service_id: id, deployment_id: null });
        const expected = Date.now() + stack.t.config.traces.tokenGraceSeconds * 1000;
        expect(Math.abs(Date.parse(data.previous_token_expires_at) - expected)).toBeLessThan(
          10_000,
        );
        expect(JSON.stringify(res.body)).not.toMatch(/slp_st_/);

        const after = await tokenRow(id);
        expect(after?.token_hash).not.toBe(before?.token_hash);
        expect(after?.token_ciphertext).not.toBe(before?.token_ciphertext);
        expect(after?.previous_token_hash).toBe(before?.token_hash);
        expect(after?.previous_token_expires_at?.toISOString()).toBe(
          data.previous_token_expires_at,
        );
        // The sealed token is the one the new hash was made from.
        const token = stack.t.app.get(SecretBox).decrypt(after?.token_ciphertext ?? '');
        expect(token).toMatch(/^slp_st_/);
        expect(stack.t.app.get(CredentialHasher).hash(token)).toBe(after?.token_hash);

        const message = RevocationMessageSchema.parse(JSON.parse(await received));
        expect(message.id).toBe(id);
      } finally {
        subscriber.disconnect();
      }
    });

    it('answers 409 while a deployment is in progress, and changes nothing', async () => {
      const id = await stack.createService('rotating');
      const { orgId, projectId } = await adminDefaults(stack.t);
      const [admin_] = await stack.t.dataSource.query<{ id: string }[]>(
        'SELECT created_by AS id FROM services WHERE id = $1',
        [id],
      );
      await stack.t.dataSource.query(
        `INSERT INTO deployments (id, service_id, org_id, project_id, status, trigger, started_by, started_at, settings)
         VALUES (gen_random_uuid(), $1, $2, $3, 'building', 'deploy', $4, now(), '{}'::jsonb)`,
        [id, orgId, projectId, admin_?.id],
      );
      const before = await tokenRow(id);
      const res = await stack.t.http
        .post(`/v1/services/${id}/token/rotate`)
        .set(admin())
        .expect(409);
      expect(expectError(res.body, ErrorCode.Conflict).message).toMatch(
        /is building; rotate the token once it has ended/,
      );
      expect(await tokenRow(id)).toEqual(before);
    });

    it('answers 404 for an unknown service and for one of another tenant', async () => {
      const id = await stack.createService('foreign');
      const tenant = await createTenant(stack.t);
      await stack.t.http
        .post('/v1/services/00000000-0000-4000-8000-000000000000/token/rotate')
        .set(admin())
        .expect(404);
      await stack.t.http
        .post(`/v1/services/${id}/token/rotate`)
        .set(bearer(tenant.user.token))
        .expect(404);
    });
  });

  it('redeploys the live image and settings with the new token', async () => {
    const serviceId = await stack.createService('rotate');
    const deployed = await stack.t.http
      .post(`/v1/services/${serviceId}/deploy`)
      .set(admin())
      .send({ image: stack.siteImage, env: [{ name: 'GREETING', value: 'hi' }] })
      .expect(200);
    const first = deployed.body.data as DeploymentResource;
    expect((await stack.waitForDeployment(serviceId, first.id)).status).toBe('succeeded');
    const before = await tokenRow(serviceId);
    expect(await instanceTokenHashes(serviceId)).toEqual([before?.token_hash]);

    const res = await stack.t.http
      .post(`/v1/services/${serviceId}/token/rotate`)
      .set(admin())
      .expect(200);
    const rotation = res.body.data as {
      previous_token_expires_at: string;
      deployment_id: string | null;
    };
    expect(rotation.deployment_id).toEqual(expect.any(String));
    const after = await tokenRow(serviceId);
    expect(after?.token_hash).not.toBe(before?.token_hash);
    expect(after?.previous_token_hash).toBe(before?.token_hash);
    const grace = stack.t.config.traces.tokenGraceSeconds * 1000;
    expect(
      Math.abs((after?.previous_token_expires_at?.getTime() ?? 0) - (Date.now() + grace)),
    ).toBeLessThan(10_000);

    const rolled = await stack.waitForDeployment(serviceId, rotation.deployment_id ?? '');
    expect(rolled).toMatchObject({
      status: 'succeeded',
      trigger: 'token_rotation',
      image: first.image,
      env: first.env,
    });
    // The old instance drains and goes after the deployment succeeded.
    await expect(
      eventually(
        () => instanceTokenHashes(serviceId),
        (hashes) => hashes.length === 1,
      ),
    ).resolves.toEqual([after?.token_hash]);
  });

  describeCredentialChecks(
    () => stack.t,
    () => [
      [
        'POST token/rotate',
        (token) =>
          withToken(
            stack.t.http.post('/v1/services/00000000-0000-4000-8000-000000000000/token/rotate'),
            token,
          ),
      ],
    ],
  );
});
