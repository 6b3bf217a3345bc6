/**
 * The tables other processes than the API read and write: the edge (routes, keys, access
 * logs, request metrics), the collector (service tokens, spans) and the benches (seeding).
 * The API's migrations own them; the API's migrations spec checks these declarations.
 */
import { col, nullable, table } from './table';

const {
  uuid,
  text,
  varchar,
  char,
  boolean,
  smallint,
  integer,
  bigint,
  double,
  timestamptz,
  jsonb,
  textArray,
} = col;

export const users = table('users', {
  id: uuid,
  email: varchar,
  name: varchar,
  is_admin: boolean,
  created_at: timestamptz,
  updated_at: timestamptz,
});

export const organizations = table('organizations', {
  id: uuid,
  name: varchar,
  description: nullable(varchar),
  created_at: timestamptz,
  updated_at: timestamptz,
});

export const projects = table('projects', {
  id: uuid,
  org_id: uuid,
  name: varchar,
  description: nullable(varchar),
  /** `{key: value}` strings, e.g. `slipway.dev/stack`. */
  labels: jsonb,
  created_at: timestamptz,
  updated_at: timestamptz,
});

export const services = table('services', {
  id: uuid,
  org_id: uuid,
  project_id: uuid,
  name: varchar,
  description: nullable(varchar),
  category: varchar,
  access_type: varchar,
  port: integer,
  hostname: varchar,
  status: varchar,
  status_reason: nullable(text),
  token_hash: char,
  token_ciphertext: text,
  previous_token_hash: nullable(char),
  previous_token_expires_at: nullable(timestamptz),
  instances: nullable(integer),
  min_replicas: nullable(integer),
  max_replicas: nullable(integer),
  asleep: boolean,
  wake_failure: nullable(text),
  last_request_at: nullable(timestamptz),
  labels: jsonb,
  tags: textArray,
  created_by: uuid,
  created_at: timestamptz,
  updated_at: timestamptz,
});

export const serviceDomains = table('service_domains', {
  domain: varchar,
  service_id: uuid,
  created_at: timestamptz,
});

export const serviceRoutes = table('service_routes', {
  service_id: uuid,
  deployment_id: nullable(uuid),
  /** `[{host, port}]`: where the edge sends the service's traffic. */
  endpoints: jsonb,
  version: bigint,
  updated_at: timestamptz,
});

export const accessKeys = table('access_keys', {
  id: uuid,
  org_id: uuid,
  /** Null: an org-wide key. */
  project_id: nullable(uuid),
  name: varchar,
  key_hash: char,
  last_four: varchar,
  created_by: uuid,
  expires_at: nullable(timestamptz),
  revoked_at: nullable(timestamptz),
  labels: jsonb,
  created_at: timestamptz,
});

export const accessLogs = table('access_logs', {
  id: bigint,
  time: timestamptz,
  service_id: uuid,
  method: text,
  path: text,
  status: smallint,
  duration_ms: double,
  bytes_in: bigint,
  bytes_out: bigint,
  client_ip: nullable(text),
  user_agent: nullable(text),
  request_id: text,
});

export const requestMetrics = table('request_metrics', {
  id: bigint,
  service_id: uuid,
  bucket_start: timestamptz,
  requests: integer,
  errors_5xx: integer,
  latency_p95_ms: nullable(double),
});

export const spans = table('spans', {
  service_id: uuid,
  trace_id: char,
  span_id: char,
  parent_span_id: nullable(char),
  name: text,
  kind: smallint,
  start_time: timestamptz,
  end_time: timestamptz,
  duration_ns: bigint,
  status_code: smallint,
  status_message: nullable(text),
  attributes: jsonb,
  events: jsonb,
  links: jsonb,
  resource: jsonb,
  received_at: timestamptz,
});

/** Every declared table, for the check against the migrated database. */
export const TABLES = [
  users,
  organizations,
  projects,
  services,
  serviceDomains,
  serviceRoutes,
  accessKeys,
  accessLogs,
  requestMetrics,
  spans,
] as const;
