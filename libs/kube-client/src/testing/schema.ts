/**
 * Validates an object against the Kubernetes OpenAPI schema that kubernetes-models ships,
 * plus what that validator lets through: unknown fields and values that are not plain
 * JSON. The stand-in API server refuses what fails here (422), as a real one would; the
 * k8s-spec tests check every rendered object with it.
 *
 * Unknown fields are found by watching the schema validator work: it reads every
 * property its schema declares (`data.replicas`, ...) and enumerates the keys of maps
 * (labels, resource lists). Any key it neither read nor enumerated is not in the schema.
 */
import { isDeepStrictEqual } from 'node:util';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';

interface Model {
  prototype: { validate(): void };
}

const MODELS: Readonly<Record<string, Model>> = {
  'v1/Namespace': Namespace,
  'v1/Secret': Secret,
  'v1/ServiceAccount': ServiceAccount,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'batch/v1/Job': Job,
  'networking.k8s.io/v1/Ingress': Ingress,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'rbac.authorization.k8s.io/v1/ClusterRole': ClusterRole,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': ClusterRoleBinding,
  'rbac.authorization.k8s.io/v1/Role': Role,
  'rbac.authorization.k8s.io/v1/RoleBinding': RoleBinding,
};

class FieldTracker {
  private readonly reads = new Map<string, Set<string>>();
  private readonly enumerated = new Set<string>();

  wrap(value: unknown, path: string): unknown {
    if (value === null || typeof value !== 'object') return value;
    const reads = this.reads.get(path) ?? new Set<string>();
    this.reads.set(path, reads);
    return new Proxy(value, {
      get: (target, key, receiver) => {
        if (typeof key === 'string') reads.add(key);
        return this.wrap(Reflect.get(target, key, receiver), `${path}/${String(key)}`);
      },
      has: (target, key) => {
        if (typeof key === 'string') reads.add(key);
        return Reflect.has(target, key);
      },
      ownKeys: (target) => {
        this.enumerated.add(path);
        return Reflect.ownKeys(target);
      },
    });
  }

  unknownFields(value: unknown, path = ''): string[] {
    if (value === null || typeof value !== 'object') return [];
    if (Array.isArray(value)) {
      return value.flatMap((item, index) => this.unknownFields(item, `${path}/${index}`));
    }
    const known = this.reads.get(path) ?? new Set<string>();
    return Object.entries(value).flatMap(([key, child]) => [
      ...(this.enumerated.has(path) || known.has(key) ? [] : [`${path}/${key}`]),
      ...this.unknownFields(child, `${path}/${key}`),
    ]);
  }
}

/** Every schema problem of `object`; empty when the API server would accept its shape. */
export function schemaProblems(object: unknown): string[] {
  const { apiVersion, kind } = (object ?? {}) as { apiVersion?: unknown; kind?: unknown };
  const model = MODELS[`${String(apiVersion)}/${String(kind)}`];
  if (model === undefined) return [`no schema for ${String(apiVersion)} ${String(kind)}`];
  const problems: string[] = [];
  if (!isDeepStrictEqual(JSON.parse(JSON.stringify(object)), object)) {
    problems.push('not plain JSON (undefined values, class instances or non-finite numbers)');
  }
  const tracker = new FieldTracker();
  try {
    model.prototype.validate.call(tracker.wrap(object, ''));
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
  }
  problems.push(...tracker.unknownFields(object).map((path) => `unknown field ${path}`));
  return problems;
}
