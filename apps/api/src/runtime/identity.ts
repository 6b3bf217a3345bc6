/**
 * Org and project names are free text; runtimes and registries need DNS-label-like names.
 * These slugs are only readable hints: every object is also keyed by the immutable id.
 */
import type { Identity } from '@slipway/k8s-spec';
import type { ServiceRef } from './runtime-driver';

const MAX_SLUG = 30;

/** `My Team!` → `my-team`; a name with nothing usable becomes `<prefix>-<8 hex of the id>`. */
export function slugOf(name: string, id: string, prefix: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .slice(0, MAX_SLUG)
    .replace(/-+$/, '');
  return slug.length > 0 ? slug : `${prefix}-${id.replace(/-/g, '').slice(0, 8)}`;
}

export interface NamedEntity {
  readonly id: string;
  readonly name: string;
}

export function serviceRefOf(
  org: NamedEntity,
  project: NamedEntity,
  service: NamedEntity,
): ServiceRef {
  const identity = (entity: NamedEntity, prefix: string): Identity => ({
    id: entity.id,
    name: slugOf(entity.name, entity.id, prefix),
  });
  return {
    org: identity(org, 'org'),
    project: identity(project, 'project'),
    // Service names are DNS labels already (validated at creation).
    service: { id: service.id, name: service.name },
  };
}

/** `<registry>/<org>/<project>/<service>:<deployment id>`: where a source build is pushed. */
export function buildDestination(registry: string, ref: ServiceRef, deploymentId: string): string {
  return `${registry}/${ref.org.name}/${ref.project.name}/${ref.service.name}:${deploymentId}`;
}
