/**
 * A synthesized stack, read from `cdktf.out` (or any directory holding `cdk.tf.json`):
 * its provider block, variables and Slipway resources, checked on the way in, with the
 * references between resources as a dependency order.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { IacError } from './errors';
import {
  ProviderConfig,
  RESOURCE_SCHEMAS,
  RESOURCE_TYPES,
  type AccessKeyConfig,
  type ProjectConfig,
  type ResourceProfileConfig,
  type ResourceType,
  type ServiceConfig,
} from './resources';

export interface ConfigOf {
  slipway_project: ProjectConfig;
  slipway_resource_profile: ResourceProfileConfig;
  slipway_service: ServiceConfig;
  slipway_access_key: AccessKeyConfig;
}

export type DeclaredResource = {
  [T in ResourceType]: {
    readonly type: T;
    /** `slipway_service.api`: the type and the logical name, as Terraform addresses it. */
    readonly address: string;
    readonly config: ConfigOf[T];
    /** Addresses of the resources this one references or depends on. */
    readonly dependsOn: readonly string[];
  };
}[ResourceType];

export interface Variable {
  readonly sensitive: boolean;
  readonly default?: unknown;
}

export interface StackDocument {
  readonly name: string;
  /** The directory of `cdk.tf.json`: relative paths in the stack (sources) start here. */
  readonly dir: string;
  readonly provider: ProviderConfig;
  readonly variables: Readonly<Record<string, Variable>>;
  /** In dependency order: every resource after the ones it references. */
  readonly resources: readonly DeclaredResource[];
}

const Manifest = z.object({
  stacks: z.record(z.string(), z.object({ synthesizedStackPath: z.string() })),
});

const Document = z.object({
  '//': z.object({ metadata: z.object({ stackName: z.string() }).optional() }).optional(),
  provider: z.record(z.string(), z.array(ProviderConfig)).optional(),
  variable: z
    .record(
      z.string(),
      z.object({ sensitive: z.boolean().optional(), default: z.unknown().optional() }),
    )
    .optional(),
  resource: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
});

const REFERENCE = /\$\{(slipway_[a-z_]+)\.([A-Za-z0-9_-]+)(?:\.[a-z_]+)?\}/g;

/** Finds the stack's `cdk.tf.json` in a synth output directory or a stack directory. */
export function locateStack(dir: string, stackName?: string): string {
  const direct = join(dir, 'cdk.tf.json');
  if (existsSync(direct)) return direct;
  const manifestFile = join(dir, 'manifest.json');
  if (!existsSync(manifestFile))
    throw new IacError(`${dir} holds neither cdk.tf.json nor a synth manifest.json`);
  const manifest = parse(Manifest, readJson(manifestFile), manifestFile);
  const names = Object.keys(manifest.stacks);
  const name = stackName ?? (names.length === 1 ? names[0] : undefined);
  if (name === undefined)
    throw new IacError(`${dir} holds stacks ${names.join(', ')}: name one with --stack`);
  const stack = manifest.stacks[name];
  if (!stack) throw new IacError(`no stack "${name}" in ${dir} (it holds ${names.join(', ')})`);
  return join(dir, stack.synthesizedStackPath);
}

export function loadStack(file: string): StackDocument {
  const doc = parse(Document, readJson(file), file);
  const name = doc['//']?.metadata?.stackName;
  if (!name) throw new IacError(`${file} does not name its stack ("//".metadata.stackName)`);
  const providers = doc.provider?.slipway ?? [];
  if (providers.length > 1) throw new IacError(`${file}: one slipway provider block, not several`);
  const declared: DeclaredResource[] = [];
  for (const [type, entries] of Object.entries(doc.resource ?? {})) {
    if (!isResourceType(type)) continue;
    for (const [logical, raw] of Object.entries(entries)) {
      const address = `${type}.${logical}`;
      const config = parse(RESOURCE_SCHEMAS[type], raw, address);
      declared.push({ type, address, config, dependsOn: dependencies(config) } as DeclaredResource);
    }
  }
  const variables: Record<string, Variable> = {};
  for (const [key, value] of Object.entries(doc.variable ?? {}))
    variables[key] = { sensitive: value.sensitive ?? false, default: value.default };
  return {
    name,
    dir: dirname(file),
    provider: providers[0] ?? {},
    variables,
    resources: dependencyOrder(declared),
  };
}

function isResourceType(type: string): type is ResourceType {
  return (RESOURCE_TYPES as readonly string[]).includes(type);
}

function dependencies(config: object): string[] {
  const found = new Set<string>();
  const { depends_on: explicit = [], ...rest } = config as { depends_on?: string[] };
  for (const entry of explicit) found.add(entry.replace(/^\$\{|\}$/g, ''));
  for (const match of JSON.stringify(rest).matchAll(REFERENCE))
    found.add(`${match[1]}.${match[2]}`);
  return [...found];
}

/** Orders resources so each follows what it depends on; a cycle or a dangling reference fails. */
function dependencyOrder(resources: DeclaredResource[]): DeclaredResource[] {
  const byAddress = new Map(resources.map((r) => [r.address, r]));
  const ordered: DeclaredResource[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (resource: DeclaredResource, path: string[]): void => {
    if (state.get(resource.address) === 'done') return;
    if (state.get(resource.address) === 'visiting')
      throw new IacError(`a reference cycle: ${[...path, resource.address].join(' -> ')}`);
    state.set(resource.address, 'visiting');
    for (const dependency of resource.dependsOn) {
      const target = byAddress.get(dependency);
      if (!target)
        throw new IacError(
          `${resource.address} references ${dependency}, which the stack does not declare`,
        );
      visit(target, [...path, resource.address]);
    }
    state.set(resource.address, 'done');
    ordered.push(resource);
  };
  // Types first in the order they depend on each other, then by address, for stable plans.
  const sorted = [...resources].sort(
    (a, b) =>
      RESOURCE_TYPES.indexOf(a.type) - RESOURCE_TYPES.indexOf(b.type) ||
      a.address.localeCompare(b.address),
  );
  for (const resource of sorted) visit(resource, []);
  return ordered;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    throw new IacError(`cannot read ${file}: ${(error as Error).message}`);
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (issue) => `${[where, ...issue.path.map(String)].join('.')}: ${issue.message}`,
  );
  throw new IacError(problems.join('; '));
}
