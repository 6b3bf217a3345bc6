/**
 * The dashboard's whole flow in Chromium (Debian's, driven by playwright-core) against a real
 * API on the docker runtime serving the built `apps/web`: sign in, add a service by deploying
 * an image, watch the deployment succeed, open every tab and see its data (the container's
 * own log, traces, metrics, access-log rows), roll back, sign out. Each tab's screenshot is
 * written to apps/api/.artifacts/screenshots/.
 *
 * A caller reaches the service through the real edge with an Access Key, so the access logs
 * and request metrics are the edge's own. The site has no OpenTelemetry SDK: the test exports
 * a trace per kind of request to the collector with the token the instance was given
 * (test-support/). CPU and memory are sampled every 5 s, so their charts have a history.
 */
import { mkdir } from 'node:fs/promises';
import { type AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { createCollector, type Collector } from '@slipway/collector';
import {
  INJECTED_ENV,
  type DeploymentResource,
  type MetricSeriesResource,
} from '@slipway/contracts';
import { type Edge } from '@slipway/edge';
import { type Browser, type Page } from 'playwright-core';
import { httpGet, startDockerStack, type DockerStack } from '../../test/support/docker-stack';
import { eventually } from '../../test/support/eventually';
import { uniqueName } from '../../test/support/fixtures';
import { bearer } from '../../test/support/test-app';
import {
  exportTraces,
  startTraffic,
  type ObservedRequest,
  type Target,
  type Traffic,
} from './test-support/dashboard-telemetry';
import { startEdge } from '../../test/support/edge';
import { buildLoggingSite } from './test-support/logging-site';
import { launchChromium } from './test-support/browser';

jest.setTimeout(240_000);

const SCREENSHOTS = resolve(__dirname, '..', '..', '.artifacts', 'screenshots');
/** A deployment may take a while on a loaded 2-core machine with a busy engine. */
const DEPLOY_TIMEOUT_MS = 180_000;
/** Requests made to the instance (about three a second) before the telemetry is recorded. */
const REQUESTS = 45;
/** What the first release's container prints as it starts, and serves. */
const BOOT_LINE = 'site v1: serving /www on :8080';
const V1_TEXT = 'hello from release 1';

describe('the dashboard, end to end in Chromium on the docker runtime', () => {
  let stack: DockerStack;
  let collector: Collector;
  let edge: Edge;
  let browser: Browser;
  let page: Page;
  let base: string;
  let v1Image: string;
  const serviceName = uniqueName('dash');
  let serviceId: string;
  let v1: DeploymentResource;
  let traffic: Traffic | undefined;
  let requests: ObservedRequest[] = [];
  const pageErrors: string[] = [];

  const admin = () => bearer(stack.t.adminToken);
  const shot = async (name: string) => {
    // The pointer rests where nothing shows a tooltip or a hover.
    await page.mouse.move(1279, 799);
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), animations: 'disabled' });
  };
  /** The viewport scrolled so the tabs are at its top, then a screenshot of the open tab. */
  const shotOfTab = async (name: string) => {
    const tabs = await page.getByRole('tablist', { name: 'Service views' }).boundingBox();
    await page.evaluate(`window.scrollTo(0, window.scrollY + ${(tabs?.y ?? 0) - 72})`);
    await shot(name);
  };
  const tab = async (name: string): Promise<void> => {
    await page.getByTestId(`tab-${name}`).click();
    await page.waitForURL((url) => url.searchParams.get('tab') === name);
  };
  const shortId = (id: string) => id.split('-')[0] ?? id;

  /** The newest row's status once it has left building/deploying, with the row's text. */
  async function settledNewestDeployment(): Promise<{ status: string; row: string }> {
    const newest = page.getByTestId('deployment-row').first();
    const status = await eventually(
      async () => (await newest.getByTestId('deployment-status').textContent()) ?? '',
      (text) => text !== '' && text !== 'building' && text !== 'deploying',
      DEPLOY_TIMEOUT_MS,
    );
    const row = (await newest.textContent()) ?? '';
    if (status !== 'succeeded') throw new Error(`the deployment ended ${status}: ${row}`);
    return { status, row };
  }

  /**
   * The service's hostname on the edge with a new org Access Key, once the edge routes it.
   * The edge learns the key within moments; until then it answers (and logs) 401.
   */
  async function callerThroughTheEdge(): Promise<Target> {
    const service = await stack.t.http.get(`/v1/services/${serviceId}`).set(admin()).expect(200);
    const { hostname, org_id } = service.body.data as { hostname: string; org_id: string };
    const key = await stack.t.http
      .post('/v1/access-keys')
      .set(admin())
      .send({ name: uniqueName('dash-key'), org_id })
      .expect(200);
    await eventually(
      () => Promise.resolve(edge.routes.lookup(hostname)),
      (route) => route !== undefined,
      30_000,
    );
    await edge.synced();
    const authorization = `Bearer ${(key.body.data as { key: string }).key}`;
    return { host: '127.0.0.1', port: edge.port, headers: { host: hostname, authorization } };
  }

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    stack = await startDockerStack({ overrides: { 'runtime.usageSampleSeconds': 5 } });
    // The first release: the stack's site, logging as it starts and serves.
    v1Image = `${stack.siteImage.replace(/:1$/, '')}-dash:1`;
    await buildLoggingSite(stack.docker, {
      from: stack.siteImage,
      tag: v1Image,
      bootLine: BOOT_LINE,
      text: `${V1_TEXT}\n`,
    });
    await stack.t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(stack.t.app.getHttpServer().address() as AddressInfo).port}`;
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
    edge = await startEdge(stack.t);
    browser = await launchChromium();
    const browserContext = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      timezoneId: 'UTC',
      locale: 'en-GB',
    });
    // Generous: every wait below is for a condition, and the machine may be busy.
    browserContext.setDefaultTimeout(30_000);
    page = await browserContext.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 300_000);

  afterAll(async () => {
    await traffic?.stop().catch(() => undefined);
    await browser?.close();
    await collector?.close();
    await edge?.close();
    await stack?.close();
    if (v1Image) {
      await stack.docker
        .getImage(v1Image)
        .remove({ force: true })
        .catch(() => undefined);
    }
  });

  it('signs in with a token; the empty project says what to do next', async () => {
    await page.goto(`${base}/`);
    await page.getByTestId('token-input').waitFor();
    await shot('01-sign-in');
    await page.getByTestId('token-input').fill(stack.t.adminToken);
    await page.getByTestId('sign-in').click();
    await page.getByTestId('services-empty').waitFor();
    expect(await page.getByTestId('token-input').count()).toBe(0);
  });

  it('Add new deployment → Service → Next → Image: creates the service, deploys the image, and follows it to succeeded', async () => {
    await page.getByTestId('add-deployment').click();
    const dialog = page.getByRole('dialog', { name: 'Add new deployment' });
    await dialog.getByRole('button', { name: 'Next' }).click();
    await dialog.getByRole('textbox', { name: /^Name/ }).fill(serviceName);
    await dialog.getByRole('textbox', { name: /^Image/ }).fill(v1Image);
    await shot('02-new-deployment');
    await dialog.getByRole('button', { name: 'Create and deploy' }).click();

    await page.waitForURL(/\/services\/[0-9a-f-]{36}\?tab=deployments$/);
    serviceId = /\/services\/([0-9a-f-]{36})/.exec(page.url())?.[1] ?? '';
    await page.getByTestId('deployment-row').first().waitFor();
    expect(await page.getByTestId('service-header').textContent()).toContain(serviceName);
    const settled = await settledNewestDeployment();

    const listed = await stack.t.http
      .get(`/v1/services/${serviceId}/deployments`)
      .set(admin())
      .expect(200);
    const deployments = listed.body.data as DeploymentResource[];
    expect(deployments).toHaveLength(1);
    v1 = deployments[0]!;
    expect(v1).toMatchObject({ status: 'succeeded', image: v1Image, replicas: 1 });
    expect(settled.row).toContain(shortId(v1.id));
    // An image deployment's build log is the API's one line saying there was no build.
    const toggle = page.getByRole('button', {
      name: `Show the build log of deployment ${shortId(v1.id)}`,
    });
    await toggle.click();
    await page.getByTestId('build-log').filter({ hasText: 'it has no build log' }).waitFor();
    await page.getByRole('button', { name: /^Hide the build log/ }).click();
    await shot('03-deployments');

    // A caller through the edge from now on, with an Access Key of the service's org: the
    // instance's own log, then the traces, metrics and access logs.
    traffic = startTraffic(await callerThroughTheEdge());
  });

  it('Endpoint: the Python and curl snippets are filled in with the hostname', async () => {
    await tab('endpoint');
    const service = await stack.t.http.get(`/v1/services/${serviceId}`).set(admin()).expect(200);
    const hostname = (service.body.data as { hostname: string }).hostname;
    expect(await page.getByTestId('service-hostname').textContent()).toContain(hostname);
    expect(await page.getByTestId('python-snippet').textContent()).toContain(`https://${hostname}`);
    expect(await page.getByTestId('curl-snippet').textContent()).toContain(hostname);
    await shot('04-endpoint');
  });

  it("Pods: the instance runs, and expanding it follows the container's own log", async () => {
    await tab('pods');
    const row = page.getByTestId('pod-row');
    await eventually(
      async () => (await row.count()) === 1 && (await row.getByTestId('pod-status').textContent()),
      (status) => status === 'running',
      30_000,
    );
    const pods = await stack.t.http.get(`/v1/services/${serviceId}/pods`).set(admin()).expect(200);
    const [pod] = pods.body.data as { name: string }[];
    expect(await row.textContent()).toContain(pod!.name);
    await page.getByRole('button', { name: `Show the log of ${pod!.name}` }).click();
    const log = page.getByTestId('pod-log');
    // The line it printed at boot, and the requests it logs as they arrive (followed live).
    await log.filter({ hasText: BOOT_LINE }).waitFor();
    await log.filter({ hasText: 'response:404' }).waitFor();
    await log.filter({ hasText: 'response:200' }).waitFor();
    expect(await page.getByTestId('pod-log-phase').textContent()).toMatch(/^Following/);
    await shot('05-pods');
  });

  it('Traces: the list, and a trace opened as a waterfall of its spans', async () => {
    // Enough requests for a few 10 s buckets of the metrics, then the caller stops.
    await eventually(
      () => Promise.resolve(traffic!.count()),
      (count) => count >= REQUESTS,
      120_000,
    );
    requests = await traffic!.stop();
    traffic = undefined;
    // The token this instance was given is what an SDK in it would export with.
    const pods = await stack.t.http.get(`/v1/services/${serviceId}/pods`).set(admin()).expect(200);
    const [pod] = pods.body.data as { name: string }[];
    const env = (await stack.docker.getContainer(pod!.name).inspect()).Config.Env;
    const token = env
      .find((entry) => entry.startsWith(`${INJECTED_ENV.serviceToken}=`))
      ?.slice(INJECTED_ENV.serviceToken.length + 1);
    expect(token).toMatch(/^slp_st_/);
    // One trace for each kind of request that reached the instance.
    const reached = requests.filter((r) => r.status !== 401);
    const traced = reached.filter(
      (r, i) => reached.findIndex((o) => o.method === r.method && o.path === r.path) === i,
    );
    await exportTraces(collector.url, token!, serviceName, traced);
    // The edge's rows of every request answered, the current 10 s bucket included.
    await edge.flushTelemetry();

    await tab('traces');
    const rows = page.getByTestId('trace-row');
    await eventually(
      () => rows.count(),
      (count) => count === traced.length,
      15_000,
    );
    // Each kind once, newest first; a missing file's lookup and the refused POST failed.
    const newestFirst = [...traced].reverse();
    expect(await rows.getByRole('button').allTextContents()).toEqual(
      newestFirst.map((r) => `${r.method} ${r.path}`),
    );
    const statuses = (await rows.allTextContents()).map((text) => /(error|ok)$/.exec(text)?.[0]);
    expect(statuses).toEqual(newestFirst.map((r) => (r.status >= 400 ? 'error' : 'ok')));
    const page1 = traced.find((r) => r.method === 'GET' && r.path === '/index.html')!;
    await rows.filter({ hasText: 'GET /index.html' }).getByRole('button').click();
    const waterfall = page.getByTestId('trace-waterfall');
    await waterfall.waitFor();
    expect(await waterfall.getByTestId('span-row').allTextContents()).toEqual([
      expect.stringContaining('GET /index.html'),
      expect.stringContaining('stat /www/index.html'),
      expect.stringContaining('send /index.html'),
    ]);
    expect(await waterfall.getByTestId('span-bar').count()).toBe(3);
    await waterfall.getByRole('button', { name: 'GET /index.html' }).click();
    expect(await page.getByTestId('span-details').textContent()).toContain(
      `http.request.header.x-request-id="${page1.requestId}"`,
    );
    await shotOfTab('06-traces');
  });

  it("Metrics: request rate and p95 latency from the edge's rollups, CPU and memory over the window", async () => {
    const res = await stack.t.http
      .get(`/v1/services/${serviceId}/metrics`)
      .set(admin())
      .expect(200);
    const series = new Map(
      (res.body.data as MetricSeriesResource[]).map((one) => [one.name, one.points]),
    );
    // Every request made is in the edge's 10 s buckets.
    const counted = (series.get('request_rate') ?? []).reduce((sum, p) => sum + p.value * 10, 0);
    expect(Math.round(counted)).toBe(requests.length);
    // The sampler read the instance while the caller was busy: a history, then now.
    expect((series.get('cpu_usage') ?? []).length).toBeGreaterThan(1);
    expect(series.get('memory_usage')?.at(-1)?.value).toBeGreaterThan(0);

    await tab('metrics');
    for (const name of ['request_rate', 'latency_p95', 'cpu_usage', 'memory_usage']) {
      const card = page.getByTestId(`metric-${name}`);
      await card
        .getByTestId('metric-summary')
        .filter({ hasText: /^Latest / })
        .waitFor();
      // The line is drawn.
      expect(await card.locator('.recharts-line path').count()).toBeGreaterThan(0);
    }
    const rates = (series.get('request_rate') ?? []).map((p) => p.value);
    expect(
      await page.getByTestId('metric-request_rate').getByTestId('metric-summary').textContent(),
    ).toContain(`peak ${Number(Math.max(...rates).toFixed(2))} req/s`);
    await shotOfTab('07-metrics');
  });

  it('Access logs: the requests, newest first, and the status filter', async () => {
    await tab('access-logs');
    const rows = page.getByTestId('access-log-row');
    await eventually(
      () => rows.count(),
      (count) => count === Math.min(200, requests.length),
      15_000,
    );
    const newest = requests[requests.length - 1]!;
    const first = (await rows.first().textContent()) ?? '';
    expect(first).toContain(newest.path);
    expect(first).toContain(String(newest.status));
    expect(first).toContain(shortId(newest.requestId));
    await shotOfTab('08-access-logs');

    await page.getByRole('textbox', { name: 'Status' }).fill('404');
    const notFound = requests.filter((r) => r.status === 404).length;
    expect(notFound).toBeGreaterThan(0);
    await eventually(
      () => rows.count(),
      (count) => count === notFound,
      15_000,
    );
    expect(new Set(await rows.getByTestId('access-log-status').allTextContents())).toEqual(
      new Set(['404']),
    );
  });

  it('Deployments: after a new release, Roll back on the first one restores it', async () => {
    // A second release arrives (as from the CLI): the stack's plain site image.
    const released = await stack.t.http
      .post(`/v1/services/${serviceId}/deploy`)
      .set(admin())
      .send({ image: stack.siteImage })
      .expect(200);
    const v2 = await stack.waitForDeployment(
      serviceId,
      (released.body.data as DeploymentResource).id,
    );
    expect(v2.status).toBe('succeeded');

    await page.reload();
    await tab('deployments');
    const rows = page.getByTestId('deployment-row');
    await eventually(
      () => rows.count(),
      (count) => count === 2,
    );
    await page.getByRole('button', { name: `Roll back to deployment ${shortId(v1.id)}` }).click();
    const confirm = page.getByRole('dialog', {
      name: `Roll back to deployment ${shortId(v1.id)}?`,
    });
    expect(await confirm.textContent()).toContain(v1Image);
    await shot('09-rollback-confirm');
    await confirm.getByTestId('confirm-action').click();
    await page.getByTestId('deployment-started').waitFor();
    await eventually(
      () => rows.count(),
      (count) => count === 3,
    );
    const settled = await settledNewestDeployment();

    const listed = await stack.t.http
      .get(`/v1/services/${serviceId}/deployments`)
      .set(admin())
      .expect(200);
    const [rolledBack] = listed.body.data as DeploymentResource[];
    expect(rolledBack).toMatchObject({ status: 'succeeded', image: v1Image });
    expect(settled.row).toContain(shortId(rolledBack!.id));
    // The instance serves the first release's page again.
    const [endpoint] = await stack.route(serviceId);
    expect((await httpGet(endpoint!, '/index.html')).body).toBe(`${V1_TEXT}\n`);
    await shot('10-rolled-back');
  });

  it('signs out from the services list; the session ends', async () => {
    await page.getByRole('link', { name: 'Slipway', exact: true }).click();
    const row = page.getByTestId('service-row').filter({ hasText: serviceName });
    await row.getByTestId('service-status').filter({ hasText: 'running' }).waitFor();
    await shot('11-services');
    await page.getByTestId('sign-out').click();
    await page.getByTestId('token-input').waitFor();
    const status = await page.evaluate(async () => (await fetch('/v1/projects')).status);
    expect(status).toBe(401);
    expect(pageErrors).toEqual([]);
  });
});
