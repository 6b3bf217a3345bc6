import type {
  AccessLogView,
  DeploymentView,
  MemberView,
  MetricName,
  MetricSeriesView,
  OrgView,
  PodView,
  ProjectView,
  ResourceProfileView,
  ServiceOperationView,
  ServiceStatusView,
  ServiceView,
  SpanView,
  TraceSummaryView,
  TraceView,
} from '../api/types';

const at = '2026-12-06T10:00:00.000Z';

export const org = (id: string, name: string): OrgView => ({
  id,
  name,
  description: null,
  role: 'owner',
  created_at: at,
  updated_at: at,
});

export const member = (overrides: Partial<MemberView> & { user_id: string }): MemberView => ({
  email: 'someone@example.com',
  name: 'Someone',
  role: 'member',
  joined_at: at,
  ...overrides,
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
  volumes: [],
  failure_reason: null,
  created_at: at,
  updated_at: at,
  ...overrides,
});

export const pod = (overrides: Partial<PodView> & { name: string }): PodView => ({
  deployment_id: '9b1e4c7a-1111-4000-8000-000000000002',
  status: 'running',
  ready: true,
  restarts: 0,
  started_at: at,
  message: null,
  ...overrides,
});

export const accessLog = (
  overrides: Partial<AccessLogView> & { request_id: string },
): AccessLogView => ({
  time: '2026-12-06T10:00:01.123Z',
  method: 'GET',
  path: '/orders/42',
  status: 200,
  duration_ms: 12.5,
  bytes_in: 0,
  bytes_out: 1536,
  client_ip: '203.0.113.7',
  user_agent: 'curl/8.5.0',
  ...overrides,
});

/** A series with a point every 10 s from 10:00:00, one per value. */
export const metricSeries = (name: MetricName, values: number[]): MetricSeriesView => ({
  name,
  status: 'ok',
  points: values.map((value, index) => ({
    time: new Date(Date.parse(at) + index * 10_000).toISOString(),
    value,
  })),
});

export const traceSummary = (
  overrides: Partial<TraceSummaryView> & { trace_id: string },
): TraceSummaryView => ({
  root_span_name: 'GET /orders',
  start_time: '2026-12-06T10:00:00.000000Z',
  end_time: '2026-12-06T10:00:00.047000Z',
  duration_ms: 47,
  span_count: 3,
  error: false,
  ...overrides,
});

export const span = (
  overrides: Partial<SpanView> & { span_id: string; name: string; start_time: string },
): SpanView => ({
  parent_span_id: null,
  kind: 'internal',
  end_time: overrides.start_time,
  duration_ms: 0,
  status: { code: 'unset', message: null },
  attributes: {},
  events: [],
  links: [],
  resource: {},
  children: [],
  ...overrides,
});

/** GET /orders (47 ms) calling SELECT orders (from +5 ms, 20 ms) and a failed fetch. */
export const trace = (traceId: string): TraceView => ({
  ...traceSummary({ trace_id: traceId, error: true }),
  spans: [
    span({
      span_id: 'root',
      name: 'GET /orders',
      kind: 'server',
      start_time: '2026-12-06T10:00:00.000000Z',
      end_time: '2026-12-06T10:00:00.047000Z',
      duration_ms: 47,
      attributes: { 'http.route': '/orders' },
      children: [
        span({
          span_id: 'db',
          parent_span_id: 'root',
          name: 'SELECT orders',
          kind: 'client',
          start_time: '2026-12-06T10:00:00.005000Z',
          end_time: '2026-12-06T10:00:00.025000Z',
          duration_ms: 20,
        }),
        span({
          span_id: 'fetch',
          parent_span_id: 'root',
          name: 'POST /stock',
          kind: 'client',
          start_time: '2026-12-06T10:00:00.030500Z',
          end_time: '2026-12-06T10:00:00.040000Z',
          duration_ms: 9.5,
          status: { code: 'error', message: 'connection refused' },
        }),
      ],
    }),
  ],
});

export const operation = (
  overrides: Partial<ServiceOperationView> & { id: string; kind: ServiceOperationView['kind'] },
): ServiceOperationView => ({
  service_id: 's1',
  deployment_id: '9b1e4c7a-1111-4000-8000-000000000002',
  instances: 1,
  status: 'running',
  failure_reason: null,
  cause: 'user',
  reason: null,
  started_by: '5f0c2a9e-0000-4000-8000-000000000001',
  started_at: at,
  ended_at: null,
  ...overrides,
});

export const serviceStatus = (overrides: Partial<ServiceStatusView> = {}): ServiceStatusView => ({
  service_id: 's1',
  status: 'running',
  reason: null,
  desired: 1,
  total: 1,
  ready: 1,
  available: 1,
  rollout: null,
  live_deployment_id: '9b1e4c7a-1111-4000-8000-000000000002',
  operation: null,
  ...overrides,
});

export const resourceProfile = (
  overrides: Partial<ResourceProfileView> & { id: string; name: string },
): ResourceProfileView => ({
  description: null,
  purpose: 'service',
  cpu: '500m',
  memory: '1Gi',
  gpu_type: null,
  gpu_count: 0,
  sort_order: 0,
  labels: {},
  ...overrides,
});
