import type { DeploymentView, OrgView, ProjectView, ServiceView } from '../api/types';

const at = '2026-12-06T10:00:00.000Z';

export const org = (id: string, name: string): OrgView => ({
  id,
  name,
  description: null,
  role: 'owner',
  created_at: at,
  updated_at: at,
});

export const project = (id: string, orgId: string, name: string): ProjectView => ({
  id,
  org_id: orgId,
  name,
  description: null,
  labels: {},
  created_at: at,
  updated_at: at,
});

export const service = (
  overrides: Partial<ServiceView> & { id: string; name: string },
): ServiceView => ({
  description: null,
  project_id: 'p1',
  org_id: 'o1',
  category: 'service',
  status: 'running',
  status_reason: null,
  hostname: `${overrides.name}-1a2b3c4d.apps.example.com`,
  domains: [],
  access_control: { access_type: 'private' },
  port: 8080,
  instances: null,
  min_replicas: null,
  max_replicas: null,
  labels: {},
  tags: [],
  repo: null,
  created_by: 'u1',
  created_at: at,
  updated_at: at,
  ...overrides,
});

export const deployment = (
  overrides: Partial<DeploymentView> & { id: string; service_id: string },
): DeploymentView => ({
  status: 'succeeded',
  trigger: 'deploy',
  started_by: '5f0c2a9e-0000-4000-8000-000000000001',
  started_at: at,
  ended_at: '2026-12-06T10:02:00.000Z',
  image: 'registry.local/hello@sha256:abc',
  image_digest: 'sha256:abc',
  source: null,
  repo: null,
  resource_profile_id: null,
  resources: {
    requests: { cpu: '250m', memory: '256Mi' },
    limits: { cpu: '500m', memory: '512Mi' },
  },
  env: [],
  replicas: 1,
  autoscaling: null,
  startup_probe: null,
  health_check_path: null,
  port: 8080,
  stop_grace_period_seconds: null,
  command: null,
  args: null,
  failure_reason: null,
  created_at: at,
  updated_at: at,
  ...overrides,
});
