import { autoscalingAsApplied, SECRET_ENV_LABEL, type ServiceConfig } from '@slipway/iac';
import { type Schemas } from '../client';
import {
  DEPLOYMENT_ATTRIBUTES,
  deploySettings,
  ownershipLabels,
  secretEnvDigest,
  serviceResource,
  userLabels,
} from './attributes';

const service = {
  id: 's1',
  name: 'api',
  description: null,
  project_id: 'p1',
  org_id: 'o1',
  category: 'service',
  status: 'running',
  status_reason: null,
  hostname: 'api-1.localhost',
  domains: [],
  access_control: { access_type: 'private' },
  instances: null,
  min_replicas: null,
  max_replicas: null,
  labels: { 'slipway.dev/stack': 'shop', 'slipway.dev/resource': 'api', team: 'a' },
} as unknown as Schemas['ServiceView'];

const deployment = {
  id: 'd1',
  image: '127.0.0.1:5000/x@sha256:1',
  source: {
    type: 'archive',
    sha256: 'abc',
    size_bytes: 1,
    docker: { file: 'Dockerfile', context: '.' },
  },
  resources: {
    requests: { cpu: '250m', memory: '512Mi' },
    limits: { cpu: '250m', memory: '512Mi' },
  },
  env: [
    { name: 'A', value: '1', secret: false },
    { name: 'B', value: '********', secret: true },
  ],
  replicas: 2,
  autoscaling: {
    min_replicas: 1,
    max_replicas: 3,
    metrics: [
      {
        type: 'resource',
        resource: { name: 'cpu', target: { type: 'utilization', average_utilization: 70 } },
      },
    ],
  },
  health_check_path: null,
  command: null,
  args: null,
  volumes: [],
} as unknown as Schemas['DeploymentView'];

describe('service attributes', () => {
  it('read a source deployment as its content digest, never its built image, and keep user labels only', () => {
    const withDigest = { ...service, labels: { ...service.labels, [SECRET_ENV_LABEL]: 'salt-d' } };
    const actual = serviceResource(withDigest, 'slipway_service.api', {
      deployment,
      profileName: 'nano',
    });
    expect(actual.attributes).toEqual({
      project_id: 'p1',
      name: 'api',
      category: 'service',
      access_type: 'private',
      domains: [],
      labels: { team: 'a' },
      source: { sha256: 'abc', dockerfile: 'Dockerfile', context: '.' },
      env: { A: '1' },
      secret_env: { names: ['B'], digest: 'salt-d' },
      resource_profile: 'nano',
      resources: { cpu: '250m', memory: '512Mi' },
      instances: 2,
      autoscaling: { min_instances: 1, max_instances: 3, target_cpu_percent: 70 },
    });
    expect(actual.computed).toMatchObject({
      id: 's1',
      hostname: 'api-1.localhost',
      deployment_id: 'd1',
    });
  });

  it('a service never deployed has only its own fields', () => {
    const actual = serviceResource(service, 'slipway_service.api', undefined);
    expect(Object.keys(actual.attributes)).not.toContain('image');
    expect(actual.computed.deployment_id).toBeUndefined();
  });

  it('asks for a deployment with both kinds of env, requests equal to limits and CPU autoscaling', () => {
    expect(
      deploySettings(
        {
          project_id: 'p1',
          name: 'api',
          image: 'x',
          env: { A: '1' },
          secret_env: { B: 's' },
          resources: { cpu: '1', memory: '1Gi' },
          instances: 2,
          autoscaling: { min_instances: 1, max_instances: 4, target_cpu_percent: 60 },
        },
        'profile-id',
      ),
    ).toEqual({
      resource_profile_id: 'profile-id',
      resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } },
      env: [
        { name: 'A', value: '1', secret: false },
        { name: 'B', value: 's', secret: true },
      ],
      replicas: 2,
      autoscaling: {
        min_replicas: 1,
        max_replicas: 4,
        metrics: [
          {
            type: 'resource',
            resource: { name: 'cpu', target: { type: 'utilization', average_utilization: 60 } },
          },
        ],
      },
    });
  });
});

describe('autoscaling attributes', () => {
  const sleeping = {
    ...deployment,
    autoscaling: {
      min_replicas: 0,
      max_replicas: 4,
      metrics: [
        {
          type: 'resource',
          resource: { name: 'cpu', target: { type: 'utilization', average_utilization: 70 } },
        },
      ],
      target_concurrency: 20,
      idle_timeout_seconds: 900,
    },
  } as unknown as Schemas['DeploymentView'];

  it('read the concurrency target and idle timeout the API holds, and leave out what is null', () => {
    const live = (d: Schemas['DeploymentView']) =>
      serviceResource(service, 'slipway_service.api', { deployment: d, profileName: undefined })
        .attributes.autoscaling;
    expect(live(sleeping)).toEqual({
      min_instances: 0,
      max_instances: 4,
      target_cpu_percent: 70,
      target_concurrency: 20,
      idle_timeout_seconds: 900,
    });
    const unset = { ...(deployment.autoscaling as object), target_concurrency: null };
    expect(
      live({ ...deployment, autoscaling: { ...unset, idle_timeout_seconds: null } } as never),
    ).toEqual({ min_instances: 1, max_instances: 3, target_cpu_percent: 70 });
  });

  it('ask for them in the deploy body only when declared', () => {
    const declared = (autoscaling: NonNullable<ServiceConfig['autoscaling']>) =>
      deploySettings({ project_id: 'p1', name: 'api', image: 'x', autoscaling }, undefined)
        .autoscaling;
    expect(
      declared({
        min_instances: 0,
        max_instances: 4,
        target_cpu_percent: 70,
        target_concurrency: 20,
        idle_timeout_seconds: 600,
      }),
    ).toMatchObject({
      min_replicas: 0,
      max_replicas: 4,
      target_concurrency: 20,
      idle_timeout_seconds: 600,
    });
    const plain = declared({ min_instances: 0, max_instances: 2, target_cpu_percent: 70 });
    expect(plain).not.toHaveProperty('target_concurrency');
    expect(plain).not.toHaveProperty('idle_timeout_seconds');
  });

  it('compare a declared block that leaves the idle timeout out equal to the API default, and a change as a deployment', () => {
    const actual = serviceResource(service, 'slipway_service.api', {
      deployment: sleeping,
      profileName: undefined,
    }).attributes.autoscaling;
    const declared = { min_instances: 0, max_instances: 4, target_cpu_percent: 70 };
    expect(autoscalingAsApplied({ ...declared, target_concurrency: 20 })).toEqual(actual);
    expect(
      autoscalingAsApplied({ ...declared, target_concurrency: 20, idle_timeout_seconds: 60 }),
    ).not.toEqual(actual);
    expect(DEPLOYMENT_ATTRIBUTES.has('autoscaling')).toBe(true);
  });
});

describe('labels', () => {
  it('digest secret values with a salt: equal values compare equal, any change differs', () => {
    const digest = secretEnvDigest('0a1b2c3d', { B: 's', A: 'r' });
    expect(digest).toBe(secretEnvDigest('0a1b2c3d', { A: 'r', B: 's' }));
    expect(digest).not.toBe(secretEnvDigest('0a1b2c3d', { A: 'r', B: 't' }));
    expect(digest).not.toBe(secretEnvDigest('ffffffff', { A: 'r', B: 's' }));
    expect(digest).toMatch(/^0a1b2c3d-[0-9a-f]{40}$/);
  });

  it('mark ownership, refusing names too long to be label values', () => {
    expect(ownershipLabels('shop', 'slipway_service.api')).toEqual({
      'slipway.dev/stack': 'shop',
      'slipway.dev/resource': 'api',
    });
    expect(() => ownershipLabels('shop', `slipway_service.${'x'.repeat(64)}`)).toThrow(
      /at most 63/,
    );
    expect(userLabels({ 'slipway.dev/stack': 's', team: 'a' })).toEqual({ team: 'a' });
  });
});
