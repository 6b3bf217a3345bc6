/**
 * A real API in the test's process, for the tests of other workspaces (edge, CLI). Typed by
 * the plain interfaces of `types.ts`; the implementation over the API's test support is
 * required at first use, so neither a consumer's `tsc` nor its jest global setup loads the
 * API's sources before a test asks for them.
 */
import type {
  DockerStack,
  DockerStackOptions,
  Endpoint,
  Implementation,
  JestHooks,
  NewService,
  TestApi,
  TestApiOptions,
  TestTenant,
} from './types';
import type { ServiceResource } from '@slipway/contracts';

export { SITE_TEXT } from './types';
export {
  GIT_TEST_AUTHOR,
  type GitFileContent,
  type GitFiles,
  type GitRequest,
  type GitServer,
  type GitServerOptions,
  startGitServer,
} from './git-server';
export type {
  ApiClient,
  ApiRequest,
  ApiResponse,
  DockerStack,
  DockerStackOptions,
  Endpoint,
  NewService,
  TestApi,
  TestApiOptions,
  TestTenant,
  TestUser,
} from './types';

// `require`, not `import`: tsc does not follow it into the API. Each loaded module declares
// its export with the type named here, and this package's typecheck checks it.
/* eslint-disable @typescript-eslint/no-require-imports */
let loaded: Implementation | undefined;
const api = (): Implementation =>
  (loaded ??= (require('./implementation') as { implementation: Implementation }).implementation);

let hooks: JestHooks | undefined;
const jestHooks = (): JestHooks =>
  (hooks ??= (require('./jest-hooks') as { jestHooks: JestHooks }).jestHooks);
/* eslint-enable @typescript-eslint/no-require-imports */

/** Starts the API with a fresh database; `close()` drops it. */
export function startTestApi(options?: TestApiOptions): Promise<TestApi> {
  return api().startTestApi(options);
}

/** Starts the API with the docker runtime (and a builder when asked) on the Docker Engine. */
export function startDockerStack(options?: DockerStackOptions): Promise<DockerStack> {
  return api().startDockerStack(options);
}

/** The bootstrap admin's `default` org and project. */
export function adminDefaults(t: TestApi): Promise<{ orgId: string; projectId: string }> {
  return api().adminDefaults(t);
}

/** A new user (created by the admin) with an org and a project of their own. */
export function createTenant(t: TestApi): Promise<TestTenant> {
  return api().createTenant(t);
}

/** POST /v1/services, expecting 200: the created service. */
export function createService(t: TestApi, options?: NewService): Promise<ServiceResource> {
  return api().createService(t, options);
}

/** `prefix` with a random suffix, for names that must be unique. */
export function uniqueName(prefix: string): string {
  return api().uniqueName(prefix);
}

/** The Authorization header for `token`. */
export function bearer(token: string): { Authorization: string } {
  return api().bearer(token);
}

/** A Dockerfile serving `index.html` from the build context with busybox httpd on 8080. */
export function siteDockerfile(baseImage: string): string {
  return api().siteDockerfile(baseImage);
}

/** GET on a container endpoint, without keep-alive. */
export function httpGet(
  endpoint: Endpoint,
  path?: string,
): Promise<{ status: number; body: string }> {
  return api().httpGet(endpoint, path);
}

/** For a jest `globalSetup`: finds or starts PostgreSQL and Redis for the whole run. */
export function globalSetup(): Promise<void> {
  return jestHooks().globalSetup();
}

/** For a jest `globalTeardown`: stops what `globalSetup` started. */
export function globalTeardown(): Promise<void> {
  return jestHooks().globalTeardown();
}
