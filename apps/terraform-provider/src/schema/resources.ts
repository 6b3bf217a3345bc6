/**
 * The provider's schemas: the same resources and attributes as the `@slipway/cdktf`
 * constructs (and `slipway iac`), with what the API computes and what forces replacement
 * taken from `@slipway/iac`'s rules so both tools plan alike.
 */
import { ATTRIBUTE_RULES, DEFAULT_IDLE_TIMEOUT_SECONDS, type ResourceType } from '@slipway/iac';
import { type Attribute, type Block } from '../wire/types';

const text = (description: string, more: Partial<Attribute> = {}): Attribute => ({
  type: 'string',
  description,
  optional: true,
  ...more,
});
const computed = (description: string, more: Partial<Attribute> = {}): Attribute => ({
  type: 'string',
  description,
  computed: true,
  ...more,
});
const labels: Attribute = {
  type: { map: 'string' },
  optional: true,
  description:
    'Labels (key = value), filterable with ?label=; the slipway.dev/ prefix is kept by Slipway',
};
const id = computed('The identifier the API gave it.');

/** Marks the attributes `@slipway/iac` says cannot change in place. */
function withRules(type: ResourceType, block: Block): Block {
  const rules = ATTRIBUTE_RULES[type];
  return Object.fromEntries(
    Object.entries(block).map(([name, attribute]) => [
      name,
      {
        ...attribute,
        ...(rules[name]?.forcesReplacement && { forcesReplacement: true }),
        ...(rules[name]?.sensitive && { sensitive: true }),
      },
    ]),
  );
}

const project: Block = {
  id,
  name: text('The project name, unique in its organization.', { optional: false, required: true }),
  description: text('What the project is for.'),
  org_id: text("The organization (default: the provider's org_id, or your only one).", {
    computed: true,
  }),
  labels,
};

const resourceProfile: Block = {
  id,
  name: text('The profile name services refer to (a DNS label).', {
    optional: false,
    required: true,
  }),
  description: text('What it is for.'),
  cpu: text('CPU per instance, such as 500m or 2.', { optional: false, required: true }),
  memory: text('Memory per instance, such as 512Mi or 2Gi.', { optional: false, required: true }),
  gpu_type: text('The GPU model, such as nvidia-l4.'),
  gpu_count: { type: 'number', optional: true, description: 'GPUs per instance: 1, 2, 4 or 8.' },
  labels,
};

const service: Block = {
  id,
  hostname: computed('The generated hostname, <name>-<short id>.<apps domain>.'),
  status: computed('running, paused, failed… as the API reports it after apply.'),
  org_id: computed("The organization of the service's project."),
  deployment_id: computed('The live deployment.'),
  source_sha256: computed(
    'The SHA-256 of the packed source directory: a change to the files plans a new deployment.',
  ),
  project_id: text('The project the service belongs to.', { optional: false, required: true }),
  name: text('The service name (a DNS label of at most 54 characters).', {
    optional: false,
    required: true,
  }),
  description: text('What the service does.'),
  category: text('A free-form category shown in lists.'),
  access_type: text('private (an Access Key is required) or public.'),
  domains: { type: { list: 'string' }, optional: true, description: 'Custom domains.' },
  labels,
  tags: { type: { list: 'string' }, optional: true, description: 'Short lowercase tags.' },
  image: text('The container image to run (give image or source).'),
  source: {
    type: {
      object: {
        path: text('The directory to build, relative to the configuration.', {
          optional: false,
          required: true,
        }),
        dockerfile: text('The Dockerfile, relative to path (default Dockerfile).', {
          computed: true,
        }),
        context: text('The build context, relative to path (default .).', { computed: true }),
      },
    },
    optional: true,
    description: 'A directory with a Dockerfile that Slipway builds (give image or source).',
  },
  env: { type: { map: 'string' }, optional: true, description: 'Environment variables.' },
  secret_env: {
    type: { map: 'string' },
    optional: true,
    description: 'Secret environment variables: sealed by the API, never answered.',
  },
  resource_profile: text('A resource profile by name (nano, small… or one you declare).'),
  resources: {
    type: {
      object: {
        cpu: text('CPU per instance.', { optional: false, required: true }),
        memory: text('Memory per instance.', { optional: false, required: true }),
      },
    },
    optional: true,
    description: 'CPU and memory per instance, instead of a resource profile.',
  },
  instances: { type: 'number', optional: true, description: 'How many instances run.' },
  min_instances: { type: 'number', optional: true, description: 'The fewest instances.' },
  max_instances: { type: 'number', optional: true, description: 'The most instances.' },
  autoscaling: {
    type: {
      object: {
        min_instances: {
          type: 'number',
          required: true,
          description: 'The fewest instances; 0 lets an idle service sleep until its next request.',
        },
        max_instances: { type: 'number', required: true, description: 'The most instances.' },
        target_cpu_percent: {
          type: 'number',
          required: true,
          description: 'The average CPU utilisation to keep.',
        },
        target_concurrency: {
          type: 'number',
          optional: true,
          description: 'In-flight requests per instance to scale to, 1..1000 (docker runtime).',
        },
        idle_timeout_seconds: {
          type: 'number',
          optional: true,
          description: `With min_instances 0: seconds without a request before the service sleeps, 10..86400 (default ${DEFAULT_IDLE_TIMEOUT_SECONDS}).`,
        },
      },
    },
    optional: true,
    description:
      'Scale between a minimum and a maximum, on CPU and (docker runtime) on in-flight requests.',
  },
  port: { type: 'number', optional: true, description: 'The port the container listens on.' },
  health_check_path: text('The readiness path (default: a TCP check on the port).'),
  command: { type: { list: 'string' }, optional: true, description: 'Replaces the entrypoint.' },
  volumes: {
    type: {
      objects: {
        name: text('A DNS label, unique within the service.', { optional: false, required: true }),
        mount_path: text('An absolute path, not under /tmp.', { optional: false, required: true }),
        size: text('Per instance, 1Gi..16Ti: 10Gi.', { optional: false, required: true }),
      },
    },
    optional: true,
    description:
      'Persistent storage: each instance gets its own volume of each, kept across deploys and scaling (at most 8).',
  },
  args: { type: { list: 'string' }, optional: true, description: 'Replaces the arguments.' },
};

const accessKey: Block = {
  id,
  key: computed('The key, shown once: the API cannot give it again.', { sensitive: true }),
  name: text('A name to recognise the key by.', { optional: false, required: true }),
  scope: text('org (every service of the organization) or project.', {
    optional: false,
    required: true,
  }),
  org_id: text("The organization of an org key (default: the provider's).", { computed: true }),
  project_id: text('The project of a project key.'),
  labels,
};

export const RESOURCE_BLOCKS: Readonly<Record<ResourceType, Block>> = {
  slipway_project: withRules('slipway_project', project),
  slipway_resource_profile: withRules('slipway_resource_profile', resourceProfile),
  slipway_service: withRules('slipway_service', service),
  slipway_access_key: withRules('slipway_access_key', accessKey),
};

/** Attributes the provider fills in (never read from the configuration). */
export function computedOnly(block: Block): string[] {
  return Object.entries(block)
    .filter(([, attribute]) => attribute.computed && !attribute.optional && !attribute.required)
    .map(([name]) => name);
}
