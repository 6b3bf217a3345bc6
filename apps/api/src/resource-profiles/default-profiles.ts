import { BUILT_IN_RESOURCE_PROFILES } from '@slipway/contracts';
import { type ResourceProfile } from './resource-profile.entity';

type ProfileSeed = Pick<
  ResourceProfile,
  'name' | 'description' | 'cpu' | 'memory' | 'gpuType' | 'gpuCount' | 'sortOrder'
>;

/** Seeded at every start (missing ones only), so a fresh install has sizes to pick from. */
export const DEFAULT_PROFILES: readonly ProfileSeed[] = BUILT_IN_RESOURCE_PROFILES;
