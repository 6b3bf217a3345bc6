import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode } from '@slipway/contracts';
import { expectError } from '../../test/support/fixtures';
import { startTestApp, type TestApp } from '../../test/support/test-app';
import { webDirectory } from './web-app';

const PAGE = '<!doctype html><title>Slipway</title><div id="root"></div>';

describe('the dashboard, served at /', () => {
  let t: TestApp;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'slipway-web-'));
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'index.html'), PAGE);
    await writeFile(join(dir, 'assets', 'app.js'), 'console.log("app")');
    t = await startTestApp({ overrides: { webDir: dir } });
  });
  afterAll(async () => {
    await t?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves the page at / and at every page the app routes, with a strict CSP', async () => {
    for (const path of ['/', '/services/6f1c1b5e-0000-4000-8000-000000000000', '/sign-in']) {
      const res = await t.http.get(path).set('Accept', 'text/html').expect(200);
      expect(res.text).toBe(PAGE);
      expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
      expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('serves its files as they are', async () => {
    const res = await t.http.get('/assets/app.js').expect(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.text).toBe('console.log("app")');
  });

  it('never answers the API’s paths with the page', async () => {
    const unknown = await t.http.get('/v1/nothing-here').set('Accept', 'text/html').expect(404);
    expectError(unknown.body, ErrorCode.RouteNotFound);
    expect(unknown.headers['content-security-policy']).toBeUndefined();
    await t.http.get('/healthz').expect(200);
    const internal = await t.http.get('/internal/v1/nowhere').set('Accept', 'text/html');
    expect(internal.status).toBe(404);
    expect(internal.text).not.toContain('<title>Slipway</title>');
  });

  it('answers a missing file that is not a page with 404, not the page', async () => {
    const res = await t.http.get('/assets/missing.js').set('Accept', 'application/javascript');
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('<title>Slipway</title>');
  });

  it('refuses to start with a SLIPWAY_WEB_DIR that holds no page', () => {
    expect(() => webDirectory(join(dir, 'assets'))).toThrow(/holds no index\.html/);
  });
});
