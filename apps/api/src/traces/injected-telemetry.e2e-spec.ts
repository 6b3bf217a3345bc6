/**
 * Zero-wiring traces, end to end: a deployed container gets its service id, token and
 * OpenTelemetry variables injected (it prints them; the test reads its logs through the
 * API), and the token it got is what the collector accepts for that service.
 */
import { randomBytes } from 'node:crypto';
import { createCollector, type Collector } from '@slipway/collector';
import { type DeploymentResource } from '@slipway/contracts';
import { startDockerStack, type DockerStack } from '../../test/support/docker-stack';
import { bearer } from '../../test/support/test-app';

jest.setTimeout(120_000);

const PRINT_ENV = [
  'for name in SLIPWAY_SERVICE_ID SLIPWAY_SERVICE_TOKEN OTEL_EXPORTER_OTLP_ENDPOINT OTEL_EXPORTER_OTLP_HEADERS OTEL_SERVICE_NAME; do',
  '  eval "echo env:$name=\\$$name"',
  'done',
  'exec httpd -f -p 8080 -h /www',
].join('\n');

describe('telemetry injected into a service container', () => {
  let stack: DockerStack;
  let collector: Collector;

  beforeAll(async () => {
    stack = await startDockerStack();
    collector = await createCollector({
      env: {},
      overrides: {
        http: { port: 0 },
        database: { url: stack.t.config.database.url },
        auth: { secretKey: stack.t.config.secretKey },
        log: { level: 'silent' },
      },
      retention: false,
    });
  });
  afterAll(async () => {
    await collector?.close();
    await stack?.close();
  });

  const admin = () => bearer(stack.t.adminToken);

  async function injectedEnv(serviceId: string): Promise<Record<string, string>> {
    const res = await stack.t.http
      .get(`/v1/services/${serviceId}/logs`)
      .query({ filter: 'env:' })
      .set(admin())
      .expect(200);
    const env: Record<string, string> = {};
    for (const { message } of res.body.data as { message: string }[]) {
      const [name, ...value] = message.replace(/^env:/, '').split('=');
      if (name) env[name] = value.join('=');
    }
    return env;
  }

  function exportSpan(token: string, name: string): Promise<Response> {
    const start = BigInt(Date.now()) * 1_000_000n;
    return fetch(`${collector.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        resourceSpans: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'anything' } }] },
            scopeSpans: [
              {
                spans: [
                  {
                    traceId: randomBytes(16).toString('hex'),
                    spanId: randomBytes(8).toString('hex'),
                    name,
                    kind: 2,
                    startTimeUnixNano: String(start),
                    endTimeUnixNano: String(start + 5_000_000n),
                  },
                ],
              },
            ],
          },
        ],
      }),
    });
  }

  it('prints its injected env, and the collector stores spans sent with that token under the service', async () => {
    const serviceId = await stack.createService('otel');
    const deploy = await stack.t.http
      .post(`/v1/services/${serviceId}/deploy`)
      .set(admin())
      .send({ image: stack.siteImage, command: ['sh', '-c', PRINT_ENV] })
      .expect(200);
    const deployment = await stack.waitForDeployment(
      serviceId,
      (deploy.body.data as DeploymentResource).id,
    );
    expect(deployment.status).toBe('succeeded');
    const service = await stack.t.http.get(`/v1/services/${serviceId}`).set(admin()).expect(200);

    const env = await injectedEnv(serviceId);
    const token = env.SLIPWAY_SERVICE_TOKEN ?? '';
    expect(token).toMatch(/^slp_st_/);
    expect(env).toEqual({
      SLIPWAY_SERVICE_ID: serviceId,
      SLIPWAY_SERVICE_TOKEN: token,
      OTEL_EXPORTER_OTLP_ENDPOINT: stack.t.config.runtime.collectorUrl,
      OTEL_EXPORTER_OTLP_HEADERS: `Authorization=Bearer%20${token}`,
      OTEL_SERVICE_NAME: (service.body.data as { name: string }).name,
    });

    const accepted = await exportSpan(token, 'GET /from-the-container');
    expect(accepted.status).toBe(200);
    const traces = await stack.t.http
      .get(`/v1/services/${serviceId}/traces`)
      .set(admin())
      .expect(200);
    expect(traces.body.data).toEqual([
      expect.objectContaining({ root_span_name: 'GET /from-the-container', span_count: 1 }),
    ]);

    const refused = await exportSpan(`${token.slice(0, -4)}0000`, 'forged');
    expect(refused.status).toBe(401);
  });
});
