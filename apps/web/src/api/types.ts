import type { components } from './generated/api';

type Schemas = components['schemas'];

export type SessionView = Schemas['SessionView'];
export type OrgView = Schemas['OrgView'];
export type MemberView = Schemas['MemberView'];
export type ProjectView = Schemas['ProjectView'];
export type ServiceView = Schemas['ServiceView'];
export type DeploymentView = Schemas['DeploymentView'];
export type EnvVarView = Schemas['EnvVarView'];
export type ErrorDetail = Schemas['ErrorDetail'];
export type ServiceStatus = ServiceView['status'];
export type DeploymentStatus = DeploymentView['status'];
export type AccessType = ServiceView['access_control']['access_type'];
export type PodView = Schemas['PodView'];
export type PodStatus = PodView['status'];
export type AccessLogView = Schemas['AccessLogView'];
export type MetricSeriesView = Schemas['MetricSeriesView'];
export type MetricName = MetricSeriesView['name'];
export type MetricPointView = Schemas['MetricPointView'];
export type TraceSummaryView = Schemas['TraceSummaryView'];
export type TraceView = Schemas['TraceView'];
export type SpanView = Schemas['SpanView'];
export type ServiceOperationView = Schemas['ServiceOperationView'];
export type ServiceStatusView = Schemas['ServiceStatusView'];
export type ResourceProfileView = Schemas['ResourceProfileView'];
export type EnvVarInput = Schemas['EnvVarDto'];
export type ImageDeployInput = Schemas['ImageDeployDto'];
