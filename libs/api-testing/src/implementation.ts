/**
 * The lib's interfaces over the API's own test support. Only `index.ts` loads this file, at
 * first use and untyped, so a consumer's `tsc` stops at `types.ts`; this package's typecheck
 * compiles it against the API, which is what keeps the two in step.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  SITE_TEXT as API_SITE_TEXT,
  httpGet,
  siteDockerfile,
  startDockerStack,
} from '../../../apps/api/test/support/docker-stack';
import {
  adminDefaults,
  createService,
  createTenant,
  uniqueName,
} from '../../../apps/api/test/support/fixtures';
import { bearer, startTestApp, type TestApp } from '../../../apps/api/test/support/test-app';
import type { Implementation, SITE_TEXT, TestApi } from './types';

// The lib states the site's text as a literal; this line fails to compile if the API's differs.
const _sameSiteText: typeof SITE_TEXT = API_SITE_TEXT;

/** The API's app behind each `TestApi` handed out, for the fixtures that take one. */
const apps = new WeakMap<TestApi, TestApp>();

function appOf(t: TestApi): TestApp {
  const app = apps.get(t);
  if (!app) throw new Error('Pass the TestApi that startTestApi() or startDockerStack() returned');
  return app;
}

function testApi(app: TestApp): TestApi {
  const t: TestApi = {
    adminToken: app.adminToken,
    databaseUrl: app.config.database.url,
    redisUrl: app.config.redis.url,
    secretKey: app.config.secretKey,
    http: app.http,
    query: (sql, params) => app.dataSource.query(sql, params ? [...params] : undefined),
    async listen() {
      const server: Server = app.app.getHttpServer();
      if (!server.listening) await app.app.listen(0, '127.0.0.1');
      const { port } = server.address() as AddressInfo;
      return `http://127.0.0.1:${port}`;
    },
    close: () => app.close(),
  };
  apps.set(t, app);
  return t;
}

export const implementation: Implementation = {
  async startTestApi(options) {
    return testApi(await startTestApp(options));
  },
  async startDockerStack(options) {
    const stack = await startDockerStack(options);
    return {
      t: testApi(stack.t),
      baseImage: stack.baseImage,
      siteImage: stack.siteImage,
      createService: (prefix) => stack.createService(prefix),
      waitForDeployment: (serviceId, deploymentId) =>
        stack.waitForDeployment(serviceId, deploymentId),
      waitForOperation: (serviceId, operationId) => stack.waitForOperation(serviceId, operationId),
      route: (serviceId) => stack.route(serviceId),
      close: () => stack.close(),
    };
  },
  adminDefaults: (t) => adminDefaults(appOf(t)),
  createTenant: (t) => createTenant(appOf(t)),
  createService: (t, options) => createService(appOf(t), options),
  uniqueName,
  bearer,
  siteDockerfile,
  httpGet,
};
