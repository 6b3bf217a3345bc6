/**
 * Every RPC of the provider over gRPC with mutual TLS, the way Terraform calls them,
 * against a real API (PostgreSQL and Redis real; no containers are started here: the
 * resources these RPCs create are projects, profiles and keys).
 */
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as grpc from '@grpc/grpc-js';
import { adminDefaults, startTestApi, uniqueName, type TestApi } from '@slipway/api-testing';
import { createServerCertificate } from '../src/plugin/certificate';
import { loadProtocol } from '../src/plugin/protocol';
import { DATA_SOURCE_SCHEMAS, PROVIDER_SCHEMA } from '../src/schema/provider';
import { RESOURCE_BLOCKS } from '../src/schema/resources';
import { textOf, UNKNOWN, type ObjectValue } from '../src/wire/values';
import { decoded, MAIN, startPlugin, value, type Plugin, type Reply } from './plugin-client';

const PROJECT = RESOURCE_BLOCKS.slipway_project;
const PROFILE = RESOURCE_BLOCKS.slipway_resource_profile;
const SERVICE = RESOURCE_BLOCKS.slipway_service;
const KEY = RESOURCE_BLOCKS.slipway_access_key;

/** Every attribute of `block` null but those given: what Terraform sends. */
function object(block: object, given: ObjectValue): ObjectValue {
  return { ...Object.fromEntries(Object.keys(block).map((name) => [name, null])), ...given };
}

const errors = (reply: Reply) => (reply.diagnostics ?? []).filter((d) => d.severity === 'ERROR');

describe('terraform-provider-slipway over gRPC (plugin protocol 6)', () => {
  let t: TestApi;
  let apiUrl = '';
  let home = '';
  let plugin: Plugin;
  let orgId = '';
  const admin = () => ({ Authorization: `Bearer ${t.adminToken}` });

  beforeAll(async () => {
    t = await startTestApi();
    apiUrl = await t.listen();
    ({ orgId } = await adminDefaults(t));
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'slipway-provider-'));
    plugin = await startPlugin({ HOME: home, XDG_CONFIG_HOME: join(home, 'xdg') });
  });
  afterEach(async () => {
    await plugin.close();
    await rm(home, { recursive: true, force: true });
  });

  const configure = (config: ObjectValue = {}) =>
    plugin.call('ConfigureProvider', {
      terraform_version: '1.11.4',
      config: value(PROVIDER_SCHEMA, object(PROVIDER_SCHEMA, config)),
    });
  const configured = async () =>
    expect(
      errors(await configure({ api_url: apiUrl, token: t.adminToken, org_id: orgId })),
    ).toEqual([]);

  it('announces protocol 6 over TCP on loopback with its certificate, and answers health checks', async () => {
    const [core, version, network, address, protocol, cert] = plugin.handshake;
    expect({ core, version, network, protocol }).toEqual({
      core: '1',
      version: '6',
      network: 'tcp',
      protocol: 'grpc',
    });
    expect(address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(cert).toMatch(/^[A-Za-z0-9+/]+$/);
    expect(await plugin.callService('Health', 'Check', { service: 'plugin' })).toEqual({
      status: 'SERVING',
    });
  });

  it('refuses to run when not started by Terraform, and says how to install it', async () => {
    const run = promisify(execFile);
    const failed = await run(process.execPath, [MAIN], { env: { PATH: process.env.PATH } }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain('install --mirror');
  });

  it('refuses a client that does not hold the certificate Terraform gave it', async () => {
    const [, , , address = '', , cert = ''] = plugin.handshake;
    const stranger = await createServerCertificate();
    const { Provider } = loadProtocol();
    const client = new Provider(
      address,
      grpc.credentials.createSsl(
        Buffer.from(new X509Certificate(Buffer.from(cert, 'base64')).toString()),
        Buffer.from(stranger.keyPem),
        Buffer.from(stranger.certPem),
      ),
      { 'grpc.ssl_target_name_override': 'localhost' },
    );
    try {
      const refused = await new Promise<grpc.ServiceError | null>((resolve) =>
        (
          client as unknown as {
            GetMetadata: (request: object, done: (error: grpc.ServiceError | null) => void) => void;
          }
        ).GetMetadata({}, resolve),
      );
      expect(refused?.code).toBe(grpc.status.UNAVAILABLE);
    } finally {
      client.close();
    }
    await expect(plugin.call('GetMetadata')).resolves.toMatchObject({
      resources: expect.any(Array),
    });
  });

  it('describes its resources and data sources, with nested, sensitive and required attributes', async () => {
    const metadata = await plugin.call('GetMetadata');
    expect((metadata.resources as { type_name: string }[]).map((r) => r.type_name).sort()).toEqual([
      'slipway_access_key',
      'slipway_project',
      'slipway_resource_profile',
      'slipway_service',
    ]);
    const schema = await plugin.call('GetProviderSchema');
    const resources = schema.resource_schemas as Record<
      string,
      { block: { attributes: { name: string; [k: string]: unknown }[] } }
    >;
    const attribute = (type: string, name: string) =>
      resources[type]?.block.attributes.find((a) => a.name === name);
    expect(attribute('slipway_service', 'secret_env')).toMatchObject({
      sensitive: true,
      optional: true,
    });
    expect(attribute('slipway_service', 'project_id')).toMatchObject({ required: true });
    expect(attribute('slipway_service', 'hostname')).toMatchObject({
      computed: true,
      optional: false,
    });
    expect(attribute('slipway_service', 'source')).toMatchObject({
      nested_type: { nesting: 'SINGLE', attributes: expect.any(Array) },
    });
    expect(JSON.parse(String(attribute('slipway_service', 'env')?.type))).toEqual([
      'map',
      'string',
    ]);
    const scaling = attribute('slipway_service', 'autoscaling') as unknown as {
      nested_type: { attributes: { name: string; optional: boolean }[] };
    };
    expect(scaling.nested_type.attributes.filter((a) => a.optional).map((a) => a.name)).toEqual([
      'target_concurrency',
      'idle_timeout_seconds',
    ]);
    expect(attribute('slipway_service', 'volumes')).toMatchObject({
      nested_type: { nesting: 'LIST', attributes: expect.any(Array) },
    });
    expect(attribute('slipway_access_key', 'key')).toMatchObject({
      sensitive: true,
      computed: true,
    });
    expect(Object.keys(schema.data_source_schemas as object).sort()).toEqual(
      Object.keys(DATA_SOURCE_SCHEMAS).sort(),
    );
    expect(errors(schema)).toEqual([]);
  });

  it('validates the provider block and refuses to configure without an API, or with a refused token', async () => {
    const bad = await plugin.call('ValidateProviderConfig', {
      config: value(PROVIDER_SCHEMA, object(PROVIDER_SCHEMA, { api_url: 'ftp://example' })),
    });
    expect(errors(bad)).toEqual([
      expect.objectContaining({
        detail: 'api_url must be an http(s) URL',
        attribute: { steps: [{ attribute_name: 'api_url', selector: 'attribute_name' }] },
      }),
    ]);
    expect(errors(await configure())).toEqual([
      expect.objectContaining({ detail: expect.stringContaining('no API to talk to') }),
    ]);
    expect(errors(await configure({ api_url: apiUrl, token: 'slp_pat_not-a-token' }))).toEqual([
      expect.objectContaining({ summary: 'Cannot configure the Slipway provider' }),
    ]);
    expect(
      errors(await configure({ api_url: apiUrl, token: UNKNOWN })).map((d) => d.summary),
    ).toEqual(['Provider configuration unknown']);
  });

  it('validates resource configuration, pointing at the attribute, and leaves unknown values to plan', async () => {
    const validate = (type: string, block: object, config: ObjectValue) =>
      plugin.call('ValidateResourceConfig', {
        type_name: type,
        config: value(block as never, object(block, config)),
      });
    const both = await validate('slipway_service', SERVICE, {
      project_id: '0e6f3c1a-2b4d-4e5f-8a9b-0c1d2e3f4a5b',
      name: 'api',
      image: 'nginx',
      source: { path: '.', dockerfile: null, context: null },
    });
    expect(errors(both).map((d) => d.detail)).toEqual([
      'declares either image or source, exactly one',
    ]);
    const badEnv = await validate('slipway_service', SERVICE, {
      project_id: UNKNOWN,
      name: 'Not_A_Label',
      image: 'nginx',
      env: { '1BAD': 'x' },
    });
    expect(errors(badEnv).map((d) => d.attribute)).toEqual([
      { steps: [{ attribute_name: 'name', selector: 'attribute_name' }] },
      {
        steps: [
          { attribute_name: 'env', selector: 'attribute_name' },
          { element_key_string: '1BAD', selector: 'element_key_string' },
        ],
      },
    ]);
    const unknownProject = await validate('slipway_service', SERVICE, {
      project_id: UNKNOWN,
      name: 'api',
      image: 'nginx',
    });
    expect(errors(unknownProject)).toEqual([]);
    const key = await validate('slipway_access_key', KEY, { name: 'k', scope: 'project' });
    expect(errors(key).map((d) => d.detail)).toEqual([
      'a project key names its project_id; an org key names none',
    ]);
    const dataSource = await plugin.call('ValidateDataResourceConfig', {
      type_name: 'slipway_resource_profile',
    });
    expect(errors(dataSource)).toEqual([]);
    const unknownDataSource = await plugin.call('ValidateDataResourceConfig', {
      type_name: 'slipway_nope',
    });
    expect(errors(unknownDataSource).map((d) => d.detail)).toEqual([
      'no data source slipway_nope: there are slipway_project and slipway_resource_profile',
    ]);
    const unknownType = await plugin.call('ValidateResourceConfig', { type_name: 'slipway_nope' });
    expect(errors(unknownType).map((d) => d.detail)).toEqual([
      'unknown resource type slipway_nope',
    ]);
  });

  it('plans creates with computed values unknown, in-place updates, and replacements by the same rules as slipway iac', async () => {
    await configured();
    const plan = (type: string, block: object, prior: ObjectValue | null, proposed: ObjectValue) =>
      plugin.call('PlanResourceChange', {
        type_name: type,
        prior_state: value(block as never, prior && object(block, prior)),
        proposed_new_state: value(block as never, object(block, proposed)),
        config: value(block as never, object(block, proposed)),
      });
    const created = await plan('slipway_project', PROJECT, null, { name: 'web' });
    expect(decoded(PROJECT, created.planned_state)).toEqual(
      object(PROJECT, { name: 'web', id: UNKNOWN, org_id: UNKNOWN }),
    );
    const prior = { id: 'p1', name: 'web', org_id: orgId, description: 'old' };
    const updated = await plan('slipway_project', PROJECT, prior, { ...prior, description: 'new' });
    expect(updated.requires_replace).toEqual([]);
    expect(decoded(PROJECT, updated.planned_state)).toMatchObject({ id: 'p1', description: 'new' });

    const profile = { id: 'r1', name: 'gpu', cpu: '2', memory: '8Gi' };
    const replaced = await plan('slipway_resource_profile', PROFILE, profile, {
      ...profile,
      cpu: '4',
    });
    expect(replaced.requires_replace).toEqual([
      { steps: [{ attribute_name: 'cpu', selector: 'attribute_name' }] },
    ]);
    expect(decoded(PROFILE, replaced.planned_state)).toMatchObject({ id: UNKNOWN, cpu: '4' });
  });

  it('plans a new deployment when the files of a source directory change', async () => {
    await configured();
    const dir = join(home, 'web');
    await mkdir(dir);
    await writeFile(join(dir, 'Dockerfile'), 'FROM scratch\nCOPY index.html /\n');
    await writeFile(join(dir, 'index.html'), 'one\n');
    const service = {
      project_id: '0e6f3c1a-2b4d-4e5f-8a9b-0c1d2e3f4a5b',
      name: 'web',
      source: { path: dir, dockerfile: null, context: null },
    };
    const plan = async (prior: ObjectValue | null) => {
      const reply = await plugin.call('PlanResourceChange', {
        type_name: 'slipway_service',
        prior_state: value(SERVICE, prior && object(SERVICE, prior)),
        proposed_new_state: value(
          SERVICE,
          object(SERVICE, {
            ...service,
            ...(prior && {
              id: prior.id,
              hostname: prior.hostname,
              status: prior.status,
              org_id: prior.org_id,
              deployment_id: prior.deployment_id,
              source_sha256: prior.source_sha256,
            }),
          }),
        ),
        config: value(SERVICE, object(SERVICE, service)),
      });
      expect(errors(reply)).toEqual([]);
      return decoded(SERVICE, reply.planned_state) as ObjectValue;
    };
    const first = await plan(null);
    expect(first).toMatchObject({
      source: { path: dir, dockerfile: 'Dockerfile', context: '.' },
      source_sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      id: UNKNOWN,
      hostname: UNKNOWN,
    });
    const applied = {
      ...first,
      id: 's1',
      hostname: 'web-1.apps',
      status: 'running',
      org_id: orgId,
      deployment_id: 'd1',
    };
    expect(await plan(applied)).toEqual(applied);
    await writeFile(join(dir, 'index.html'), 'two\n');
    const changed = await plan(applied);
    expect(changed.source_sha256).not.toBe(first.source_sha256);
    expect(changed).toMatchObject({ id: 's1', status: UNKNOWN, deployment_id: UNKNOWN });
  });

  it('applies, reads back (drift included), imports and deletes a project', async () => {
    await configured();
    const name = uniqueName('tf-proto');
    const config = object(PROJECT, {
      name,
      description: 'made by terraform',
      labels: { team: 'web' },
    });
    const planned = { ...config, id: UNKNOWN, org_id: UNKNOWN };
    const apply = (prior: ObjectValue | null, next: ObjectValue | null, cfg: ObjectValue | null) =>
      plugin.call('ApplyResourceChange', {
        type_name: 'slipway_project',
        prior_state: value(PROJECT, prior),
        planned_state: value(PROJECT, next),
        config: value(PROJECT, cfg),
      });
    const created = await apply(null, planned, config);
    expect(errors(created)).toEqual([]);
    const state = decoded(PROJECT, created.new_state) as ObjectValue;
    expect(state).toMatchObject({
      name,
      org_id: orgId,
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    const listed = await t.http
      .get(`/v1/projects/${textOf(state.id)}`)
      .set(admin())
      .expect(200);
    expect((listed.body as { data: { labels: object } }).data.labels).toEqual({
      team: 'web',
      'slipway.dev/managed-by': 'terraform',
    });

    await t.http
      .patch(`/v1/projects/${textOf(state.id)}`)
      .set(admin())
      .send({ description: 'changed by hand' })
      .expect(200);
    const read = await plugin.call('ReadResource', {
      type_name: 'slipway_project',
      current_state: value(PROJECT, state),
    });
    expect(decoded(PROJECT, read.new_state)).toEqual({ ...state, description: 'changed by hand' });

    const imported = await plugin.call('ImportResourceState', {
      type_name: 'slipway_project',
      id: state.id,
    });
    const [resource] = imported.imported_resources as { type_name: string; state: unknown }[];
    expect(decoded(PROJECT, resource?.state)).toEqual({ ...state, description: 'changed by hand' });

    const deleted = await apply(state, null, null);
    expect(errors(deleted)).toEqual([]);
    expect(decoded(PROJECT, deleted.new_state)).toBeNull();
    const gone = await plugin.call('ReadResource', {
      type_name: 'slipway_project',
      current_state: value(PROJECT, state),
    });
    expect(decoded(PROJECT, gone.new_state)).toBeNull();
  });

  it('creates a project key and keeps its key, which cannot be imported', async () => {
    await configured();
    const { projectId } = await adminDefaults(t);
    const config = object(KEY, {
      name: uniqueName('tf-key'),
      scope: 'project',
      project_id: projectId,
    });
    const created = await plugin.call('ApplyResourceChange', {
      type_name: 'slipway_access_key',
      prior_state: value(KEY, null),
      planned_state: value(KEY, { ...config, id: UNKNOWN, key: UNKNOWN, org_id: UNKNOWN }),
      config: value(KEY, config),
    });
    const state = decoded(KEY, created.new_state) as ObjectValue;
    expect(state).toMatchObject({ key: expect.stringMatching(/^slp_/), org_id: orgId });
    const read = await plugin.call('ReadResource', {
      type_name: 'slipway_access_key',
      current_state: value(KEY, state),
    });
    expect(decoded(KEY, read.new_state)).toEqual(state);
    const imported = await plugin.call('ImportResourceState', {
      type_name: 'slipway_access_key',
      id: state.id,
    });
    expect(errors(imported).map((d) => d.detail)).toEqual([
      expect.stringContaining('an access key cannot be imported'),
    ]);
    await plugin.call('ApplyResourceChange', {
      type_name: 'slipway_access_key',
      prior_state: value(KEY, state),
      planned_state: value(KEY, null),
      config: value(KEY, null),
    });
    const revoked = await plugin.call('ReadResource', {
      type_name: 'slipway_access_key',
      current_state: value(KEY, state),
    });
    expect(decoded(KEY, revoked.new_state)).toBeNull();
  });

  it('says what is missing: an unknown id to import, a data source that finds nothing', async () => {
    await configured();
    const missing = await plugin.call('ImportResourceState', {
      type_name: 'slipway_project',
      id: '0e6f3c1a-2b4d-4e5f-8a9b-0c1d2e3f4a5b',
    });
    expect(errors(missing).map((d) => d.detail)).toEqual([
      'no slipway_project with id 0e6f3c1a-2b4d-4e5f-8a9b-0c1d2e3f4a5b',
    ]);
    const block = DATA_SOURCE_SCHEMAS.slipway_resource_profile;
    const read = (name: string) =>
      plugin.call('ReadDataSource', {
        type_name: 'slipway_resource_profile',
        config: value(block, object(block, { name })),
      });
    expect(decoded(block, (await read('nano')).state)).toMatchObject({
      name: 'nano',
      id: expect.any(String),
      cpu: expect.any(String),
    });
    expect(errors(await read('no-such-profile')).map((d) => d.detail)).toEqual([
      expect.stringContaining('no resource profile named "no-such-profile"'),
    ]);
    const projects = DATA_SOURCE_SCHEMAS.slipway_project;
    const project = await plugin.call('ReadDataSource', {
      type_name: 'slipway_project',
      config: value(projects, object(projects, { name: 'default' })),
    });
    expect(decoded(projects, project.state)).toMatchObject({ name: 'default', org_id: orgId });
  });

  it('upgrades stored JSON state to the current schema, and stops and shuts down when asked', async () => {
    const upgraded = await plugin.call('UpgradeResourceState', {
      type_name: 'slipway_project',
      version: 0,
      raw_state: { json: Buffer.from(JSON.stringify({ id: 'p1', name: 'web', org_id: 'o1' })) },
    });
    expect(decoded(PROJECT, upgraded.upgraded_state)).toEqual(
      object(PROJECT, { id: 'p1', name: 'web', org_id: 'o1' }),
    );
    expect(await plugin.call('StopProvider')).toEqual({ Error: '' });
    await plugin.callService('GRPCController', 'Shutdown');
    expect(await plugin.exited()).toBe(0);
  });
});
