/**
 * What other workspaces' tests see of the API started in their process: plain interfaces,
 * with resource shapes from `@slipway/contracts`. Nothing here names a NestJS, TypeORM or
 * supertest type, so a consumer's `tsc` never reaches the API's sources.
 */
import type { DeploymentResource, ServiceResource, ServiceRuntimeStatus } from '@slipway/contracts';

/** What `index.html` of `DockerStack.siteImage` holds (without its trailing newline). */
export const SITE_TEXT = 'hello from slipway';

/** A request to the in-process API (supertest underneath): chain, then await the response. */
export interface ApiRequest extends PromiseLike<ApiResponse> {
  set(headers: Readonly<Record<string, string>>): ApiRequest;
  send(body: object): ApiRequest;
  /** Fails the request unless the status is `status`. */
  expect(status: number): ApiRequest;
}

export interface ApiResponse {
  readonly status: number;
  /** The parsed JSON body; the caller states its shape (`{ data: … }`, `{ error: … }`). */
  readonly body: unknown;
}

/** Requests to the API without a port: paths such as `/v1/services`. */
export interface ApiClient {
  get(path: string): ApiRequest;
  post(path: string): ApiRequest;
  put(path: string): ApiRequest;
  patch(path: string): ApiRequest;
  delete(path: string): ApiRequest;
}

export interface TestApiOptions {
  /** Dotted API config paths, e.g. `{ 'services.enabled': false }`. */
  readonly overrides?: Readonly<Record<string, unknown>>;
}

/** A real API in this process, on a database of its own (dropped on `close()`). */
export interface TestApi {
  /** The bootstrap admin's personal access token. */
  readonly adminToken: string;
  /** The API's database, for a process that reads it too (an edge). */
  readonly databaseUrl: string;
  /** The API's Redis, where it publishes route changes. */
  readonly redisUrl: string;
  /** The secret the API signs tokens with (an edge checks them with the same). */
  readonly secretKey: string;
  readonly http: ApiClient;
  /** One SQL statement on the API's database; its rows. */
  query<Row = unknown>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Listens on a free loopback port unless it already listens; its base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

export interface DockerStackOptions {
  /** Also run a builder in this process (the API then listens for its bundle downloads). */
  readonly builder?: boolean;
}

/**
 * The API with the docker runtime on a real Docker Engine (SLIPWAY_TEST_BASE_IMAGE and
 * SLIPWAY_TEST_REGISTRY must be set). `close()` also closes `t` and removes every
 * container, image and network the stack made.
 */
export interface DockerStack {
  readonly t: TestApi;
  /** The small base image the tests build from (never pulled). */
  readonly baseImage: string;
  /** Serves `SITE_TEXT` at `/index.html` on port 8080, built locally for this stack. */
  readonly siteImage: string;
  /** A new service in the admin's default project; its id. */
  createService(prefix: string): Promise<string>;
  /** Polls the deployment until it leaves building/deploying. */
  waitForDeployment(serviceId: string, deploymentId: string): Promise<DeploymentResource>;
  /** Polls the service's status until the scale or restart `operationId` has ended. */
  waitForOperation(serviceId: string, operationId: string): Promise<ServiceRuntimeStatus>;
  /** The endpoints the service's stored route points at (what an edge would use). */
  route(serviceId: string): Promise<Endpoint[]>;
  close(): Promise<void>;
}

export interface TestUser {
  readonly id: string;
  readonly email: string;
  readonly token: string;
}

/** A user with an org of their own and a project in it. */
export interface TestTenant {
  readonly user: TestUser;
  readonly orgId: string;
  readonly projectId: string;
}

export interface NewService {
  /** Whose token creates it; the bootstrap admin's by default. */
  readonly token?: string;
  /** The admin's `default` project unless given. */
  readonly projectId?: string;
  /** The name's prefix; a random suffix keeps names unique. */
  readonly prefix?: string;
  /** More fields of the request. */
  readonly body?: Readonly<Record<string, unknown>>;
}

/** What `implementation.ts` provides over the API's test support (loaded at first use). */
export interface Implementation {
  startTestApi(options?: TestApiOptions): Promise<TestApi>;
  startDockerStack(options?: DockerStackOptions): Promise<DockerStack>;
  adminDefaults(t: TestApi): Promise<{ orgId: string; projectId: string }>;
  createTenant(t: TestApi): Promise<TestTenant>;
  createService(t: TestApi, options?: NewService): Promise<ServiceResource>;
  uniqueName(prefix: string): string;
  bearer(token: string): { Authorization: string };
  siteDockerfile(baseImage: string): string;
  httpGet(endpoint: Endpoint, path?: string): Promise<{ status: number; body: string }>;
}

/** What `jest-hooks.ts` provides: the API's global setup and teardown, nothing heavier. */
export interface JestHooks {
  globalSetup(): Promise<void>;
  globalTeardown(): Promise<void>;
}
