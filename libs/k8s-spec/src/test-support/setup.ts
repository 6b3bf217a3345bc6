/** Test helper: the resolved inputs every per-kind renderer takes. */
import { serviceObjectNames, type ServiceObjectNames } from '../metadata';
import { resolvePlatform, type PlatformOptions, type ResolvedPlatform } from '../platform';
import type { ServiceSpec } from '../service-spec';
import { baseSpec, platform } from './fixtures';
import { schemaProblems } from '@slipway/kube-client/testing';

export interface Setup {
  readonly spec: ServiceSpec;
  readonly names: ServiceObjectNames;
  readonly platform: ResolvedPlatform;
}

export function setup(
  overrides: Partial<ServiceSpec> = {},
  options: PlatformOptions = platform,
): Setup {
  const spec = { ...baseSpec, ...overrides };
  const resolved = resolvePlatform(options);
  return { spec, names: serviceObjectNames(spec, resolved), platform: resolved };
}

/** Asserts the object is schema-valid and returns it, for chaining targeted asserts. */
export function expectValid<T>(object: T): T {
  expect(schemaProblems(object)).toEqual([]);
  return object;
}
