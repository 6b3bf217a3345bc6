import type { components } from './generated/api';

type Schemas = components['schemas'];

export type SessionView = Schemas['SessionView'];
export type OrgView = Schemas['OrgView'];
export type ProjectView = Schemas['ProjectView'];
export type ServiceView = Schemas['ServiceView'];
export type DeploymentView = Schemas['DeploymentView'];
export type EnvVarView = Schemas['EnvVarView'];
export type ErrorDetail = Schemas['ErrorDetail'];
export type ServiceStatus = ServiceView['status'];
export type DeploymentStatus = DeploymentView['status'];
export type AccessType = ServiceView['access_control']['access_type'];
