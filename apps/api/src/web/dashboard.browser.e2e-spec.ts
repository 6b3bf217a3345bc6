/**
 * The dashboard in a real browser (Debian's Chromium driven by playwright-core) against the
 * API in this process serving the built `apps/web`: sign in with a token, switch to a
 * project, open a service, copy its endpoint, sign out. The token never reaches storage.
 */
import { type AddressInfo } from 'node:net';
import { type Browser, type Page } from 'playwright-core';
import { startTestApp, bearer, type TestApp } from '../../test/support/test-app';
import { launchChromium } from './test-support/browser';

jest.setTimeout(120_000);

describe('the dashboard in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let serviceName: string;
  let hostname: string;

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    const me = await t.http.get('/v1/projects').set(bearer(t.adminToken)).expect(200);
    const projectId = (me.body.data as { id: string }[])[0]?.id;
    serviceName = `dash-${Date.now().toString(36)}`;
    const created = await t.http
      .post('/v1/services')
      .set(bearer(t.adminToken))
      .send({ name: serviceName, project_id: projectId })
      .expect(200);
    hostname = created.body.data.hostname as string;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function signedIn(): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${base}/`);
    await page.getByTestId('token-input').fill(t.adminToken);
    await page.getByTestId('sign-in').click();
    await page.getByTestId('services-table').waitFor();
    return page;
  }

  it('signs in with a token that never reaches browser storage, and lists the services', async () => {
    const page = await signedIn();
    await page.getByTestId('service-row').filter({ hasText: serviceName }).waitFor();
    const stored = String(
      await page.evaluate('JSON.stringify({ ...localStorage, ...sessionStorage })'),
    );
    expect(stored).not.toContain(t.adminToken);
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === 'slipway_session')).toMatchObject({
      httpOnly: true,
      sameSite: 'Strict',
    });
    expect(String(await page.evaluate('document.cookie'))).not.toContain('slipway_session');
    await page.context().close();
  });

  it("opens a service: its header, hostname and the endpoint's Python snippet", async () => {
    const page = await signedIn();
    const row = page.getByTestId('service-row').filter({ hasText: serviceName });
    await row.getByRole('link', { name: serviceName }).click();
    await page.getByTestId('service-header').waitFor();
    expect(await page.getByTestId('service-header').innerText()).toContain(serviceName);
    expect(await page.getByTestId('service-hostname').innerText()).toContain(hostname);
    const snippet = await page.getByTestId('python-snippet').innerText();
    expect(snippet).toContain(`https://${hostname}`);
    // A private service: the snippet sends an Access Key.
    expect(snippet).toContain('Authorization');
    await page.context().close();
  });

  it('signs out from a tab opened later (it asks for the CSRF token), ending the session', async () => {
    const first = await signedIn();
    // A new tab of the same browser: the cookie, but nothing in its own sessionStorage.
    const page = await first.context().newPage();
    await page.goto(`${base}/`);
    await page.getByTestId('services-table').waitFor();
    await page.getByTestId('sign-out').click();
    await page.getByTestId('token-input').waitFor();
    const status = await page.evaluate(async () => (await fetch('/v1/projects')).status);
    expect(status).toBe(401);
    await first.context().close();
  });
});
