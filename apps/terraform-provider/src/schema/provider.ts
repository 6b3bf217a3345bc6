/** The provider block and the data sources (looked up by name). */
import { type Block } from '../wire/types';

export const PROVIDER_SCHEMA: Block = {
  api_url: {
    type: 'string',
    optional: true,
    description: 'The API base URL (default: SLIPWAY_API_URL, then `slipway config`).',
  },
  token: {
    type: 'string',
    optional: true,
    sensitive: true,
    description: 'An API token (default: SLIPWAY_TOKEN, then `slipway config`).',
  },
  org_id: {
    type: 'string',
    optional: true,
    description: 'The organization projects and org keys go to when they name none.',
  },
};

export const DATA_SOURCE_SCHEMAS = {
  slipway_project: {
    name: { type: 'string', required: true, description: 'The project name.' },
    org_id: {
      type: 'string',
      optional: true,
      computed: true,
      description: "The organization to look in (default: the provider's).",
    },
    id: { type: 'string', computed: true, description: 'The project id.' },
    description: { type: 'string', computed: true, description: 'What the project is for.' },
    labels: { type: { map: 'string' }, computed: true, description: 'Its labels.' },
  },
  slipway_resource_profile: {
    name: { type: 'string', required: true, description: 'The profile name.' },
    id: { type: 'string', computed: true, description: 'The profile id.' },
    description: { type: 'string', computed: true, description: 'What it is for.' },
    cpu: { type: 'string', computed: true, description: 'CPU per instance.' },
    memory: { type: 'string', computed: true, description: 'Memory per instance.' },
    gpu_type: { type: 'string', computed: true, description: 'The GPU model, if any.' },
    gpu_count: { type: 'number', computed: true, description: 'GPUs per instance.' },
  },
} as const satisfies Record<string, Block>;

export type DataSourceType = keyof typeof DATA_SOURCE_SCHEMAS;
