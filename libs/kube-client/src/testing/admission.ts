/**
 * What the stand-in refuses before storing, as a real API server does: a body that does not
 * match its URL (400), a malformed name, an object its schema rejects or a change to an
 * immutable field (422), as a Status naming every problem.
 */
import type { KubeObject, Reply } from './fake-kube-api';
import { type Resource } from './resources';
import { schemaProblems } from './schema';

/** A `Status` failure as the API server answers it. */
export function statusReply(code: number, reason: string, message: string): Reply {
  return {
    status: code,
    body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', message, reason, code },
  };
}

/** DNS-1123 label (Namespace, Service names) and subdomain (everything else). */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN =
  /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAMED = new Set(['Namespace', 'Service']);

/**
 * What a real API server refuses before storing: a body that does not match its URL (400),
 * a malformed name or an object its schema rejects (422), as a Status naming the problems.
 */
export function refusal(
  object: KubeObject,
  resource: Resource,
  namespace: string | undefined,
  pathName: string | undefined,
  previous?: KubeObject,
): Reply | undefined {
  if (object.apiVersion !== resource.groupVersion || object.kind !== resource.kind) {
    return statusReply(
      400,
      'BadRequest',
      `the object (${object.apiVersion} ${object.kind}) does not match the URL (${resource.groupVersion} ${resource.kind})`,
    );
  }
  const name = object.metadata.name;
  if (pathName !== undefined && name !== pathName) {
    return statusReply(
      400,
      'BadRequest',
      `the name of the object (${name}) does not match the name on the URL (${pathName})`,
    );
  }
  if (resource.namespaced && (object.metadata.namespace ?? namespace) !== namespace) {
    return statusReply(
      400,
      'BadRequest',
      'the namespace of the provided object does not match the namespace sent on the request',
    );
  }
  const problems = [
    ...((LABEL_NAMED.has(resource.kind) ? DNS_LABEL : DNS_SUBDOMAIN).test(name)
      ? []
      : [`metadata.name: Invalid value: "${name}": must be a lowercase RFC 1123 name`]),
    // Kinds only tests put (pods, events, metrics) have no schema here.
    ...changedImmutableFields(previous, object, resource.kind).map(
      (path) => `${path}: Invalid value: field is immutable`,
    ),
    // As it would arrive over the wire: a merge that dropped a key leaves no undefined behind.
    ...schemaProblems(JSON.parse(JSON.stringify(object))).filter(
      (problem) => !problem.startsWith('no schema for'),
    ),
  ];
  if (problems.length === 0) return undefined;
  return statusReply(
    422,
    'Invalid',
    `${resource.kind} "${name}" is invalid: ${problems.join('; ')}`,
  );
}

/** Spec fields a real API server refuses to change once the object exists. */
const IMMUTABLE_FIELDS: Readonly<Record<string, readonly string[]>> = {
  Deployment: ['selector'],
  ReplicaSet: ['selector'],
  StatefulSet: ['selector', 'serviceName', 'volumeClaimTemplates', 'podManagementPolicy'],
  Job: ['selector', 'template'],
};

function changedImmutableFields(
  previous: KubeObject | undefined,
  next: KubeObject,
  kind: string,
): string[] {
  if (previous === undefined) return [];
  const before = (previous.spec ?? {}) as Record<string, unknown>;
  const after = (next.spec ?? {}) as Record<string, unknown>;
  return (IMMUTABLE_FIELDS[kind] ?? [])
    .filter((field) => before[field] !== undefined)
    .filter((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]))
    .map((field) => `spec.${field}`);
}
