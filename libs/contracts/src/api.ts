/** Resource shapes of the public REST API (`/v1`), shared by the API, the CLI and the edge. */

import type { ServiceRepoResource } from './git';

export interface Pagination {
  page: number;
  per_page: number;
  total: number;
  total_pages: number;
}

export interface DataEnvelope<T> {
  data: T;
}

export interface ListEnvelope<T> {
  data: T[];
  pagination: Pagination;
}

export const ACCESS_TYPES = ['private', 'public'] as const;
export type AccessType = (typeof ACCESS_TYPES)[number];

/** Lifecycle of a service as a whole (deployments have their own states). */
export const SERVICE_STATUSES = [
  'created',
  'deploying',
  'running',
  'degraded',
  'paused',
  /** Scaled to zero because idle (`min_replicas` 0): the next request wakes it. */
  'sleeping',
  /** A request arrived while sleeping; its instances are starting. */
  'waking',
  'failed',
] as const;
export type ServiceStatus = (typeof SERVICE_STATUSES)[number];

export const DEFAULT_SERVICE_CATEGORY = 'service';

export interface ServiceResource {
  id: string;
  name: string;
  description: string | null;
  project_id: string;
  org_id: string;
  category: string;
  status: ServiceStatus;
  /** Why the service is `degraded` or `failed` (which instances, what they report); else null. */
  status_reason: string | null;
  hostname: string;
  /** Custom domains routed like `hostname` (TLS ends in front of the edge). */
  domains: string[];
  access_control: { access_type: AccessType };
  /** The port the container listens on (given to it as `PORT`); 8080 unless set. */
  port: number;
  /** Instances set by `POST /scale` (0 = paused); null: as the live deployment asks. */
  instances: number | null;
  /** Bounds for autoscaling and for `POST /scale` (null: unbounded). */
  min_replicas: number | null;
  max_replicas: number | null;
  /** Key/value labels, e.g. `slipway.dev/stack` (the owning stack); `{}` when none. */
  labels: Record<string, string>;
  /** Short lowercase words, filterable with `?tag=`; `[]` when none. */
  tags: string[];
  /** The git repository it deploys from; null when none. */
  repo: ServiceRepoResource | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

/** GPU models a resource profile or service may ask for (the names the seeds use). */
export const GPU_TYPES = ['T4', 'L4', 'A100-40GB', 'A100-80GB', 'H100-80GB'] as const;
export type GpuType = (typeof GPU_TYPES)[number];

/** GPUs per instance: the counts GPU nodes are built with. */
export const GPU_COUNTS = [1, 2, 4, 8] as const;
