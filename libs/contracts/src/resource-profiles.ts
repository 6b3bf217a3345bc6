import type { GpuType } from './api';

/** A resource profile every installation has (seeded at start; admins cannot delete them). */
export interface BuiltInResourceProfile {
  readonly name: string;
  readonly description: string;
  readonly cpu: string;
  readonly memory: string;
  readonly gpuType: GpuType | null;
  readonly gpuCount: number;
  readonly sortOrder: number;
}

export const BUILT_IN_RESOURCE_PROFILES = [
  {
    name: 'nano',
    description: '0.25 vCPU, 512 MiB',
    cpu: '250m',
    memory: '512Mi',
    gpuType: null,
    gpuCount: 0,
    sortOrder: 10,
  },
  {
    name: 'small',
    description: '0.5 vCPU, 1 GiB',
    cpu: '500m',
    memory: '1Gi',
    gpuType: null,
    gpuCount: 0,
    sortOrder: 20,
  },
  {
    name: 'medium',
    description: '1 vCPU, 2 GiB',
    cpu: '1',
    memory: '2Gi',
    gpuType: null,
    gpuCount: 0,
    sortOrder: 30,
  },
  {
    name: 'large',
    description: '2 vCPU, 4 GiB',
    cpu: '2',
    memory: '4Gi',
    gpuType: null,
    gpuCount: 0,
    sortOrder: 40,
  },
  {
    name: 'xlarge',
    description: '4 vCPU, 8 GiB',
    cpu: '4',
    memory: '8Gi',
    gpuType: null,
    gpuCount: 0,
    sortOrder: 50,
  },
  {
    name: 'gpu-l4',
    description: '4 vCPU, 16 GiB, 1 NVIDIA L4',
    cpu: '4',
    memory: '16Gi',
    gpuType: 'L4',
    gpuCount: 1,
    sortOrder: 100,
  },
] as const satisfies readonly BuiltInResourceProfile[];

export type BuiltInProfileName = (typeof BUILT_IN_RESOURCE_PROFILES)[number]['name'];
