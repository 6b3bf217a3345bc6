export { AccessKey, type AccessKeyProps } from './access-key';
export { Project, type ProjectProps } from './project';
export { SlipwayProvider, type SlipwayProviderProps } from './provider';
export { ResourceProfile, type ResourceProfileProps } from './resource-profile';
export {
  Service,
  type ServiceAutoscaling,
  type ServiceProps,
  type ServiceSource,
  type ServiceVolume,
} from './service';
