/**
 * Scaling and rolling restarts of a deployed service: a merge patch of the one field that
 * changes on its workload (the replica count, or the restart annotation on the pod
 * template), then the same wait as a deploy. Nothing else is re-applied, so a scale leaves
 * the pod template, and with it the running instances, as they are.
 */
import type { V1Deployment, V1StatefulSet } from '@kubernetes/client-node';
import {
  MAX_REPLICAS,
  isStateful,
  restartPatch,
  serviceLabelSelector,
  serviceNames,
  type PlatformOptions,
  type ServiceSpec,
} from '@slipway/k8s-spec';
import {
  apiMessage,
  describeObject,
  isNotFound,
  patchObject,
  pollOnce,
  sleepUnlessAborted,
  statusOf,
  type KubeApis,
  type ObjectRef,
} from '@slipway/kube-client';
import {
  RolloutCancelledError,
  RolloutFailedError,
  type RolloutOptions,
  type RolloutResult,
} from '../runtime-driver';
import { waitForRollout, type RolloutWatchOptions } from './rollout-watch';
import { clusterServiceEndpoint } from './service-names';

export interface WorkloadOperationContext {
  readonly apis: KubeApis;
  readonly platform: PlatformOptions;
  /**
   * The driver's apply manager. These patches write as `<manager>-scale` and
   * `<manager>-restart`, so managedFields tell them apart from a deploy; the next deploy's
   * apply is forced and takes the replica count back whenever it renders one.
   */
  readonly fieldManager: string;
  readonly pollIntervalMs: number;
}

/**
 * Sets the workload's replica count to `spec.replicas` and waits until that many instances
 * of the current revision are ready (or, for 0, until every instance has stopped). A
 * StatefulSet keeps its volume claims (`whenScaled: Retain`), so scaling up again resumes
 * on the same disks. An autoscaled service keeps its HPA: Kubernetes does not autoscale a
 * workload at 0 replicas, and for a count above 0 the HPA keeps it within its bounds.
 */
export async function scaleWorkload(
  context: WorkloadOperationContext,
  spec: ServiceSpec,
  options: RolloutOptions,
): Promise<RolloutResult> {
  const replicas = spec.replicas;
  if (replicas === undefined || !Number.isInteger(replicas) || replicas < 0) {
    throw new RolloutFailedError(`cannot scale to ${String(replicas)} instances`);
  }
  if (replicas > MAX_REPLICAS) {
    throw new RolloutFailedError(
      `cannot scale to ${replicas} instances: at most ${MAX_REPLICAS} are allowed`,
    );
  }
  return patchAndWait(context, spec, options, {
    action: 'scale',
    patch: { spec: { replicas } },
  });
}

/**
 * Replaces every instance as `kubectl rollout restart` does: a new `restartedAt` annotation
 * on the pod template starts a rollout under the workload's own rules (the rendered
 * Deployment never goes below the desired count: `maxUnavailable: 0`).
 */
export async function restartWorkload(
  context: WorkloadOperationContext,
  spec: ServiceSpec,
  options: RolloutOptions,
): Promise<RolloutResult> {
  return patchAndWait(context, spec, options, {
    action: 'restart',
    patch: restartPatch(new Date().toISOString()),
  });
}

interface Operation {
  readonly action: 'scale' | 'restart';
  readonly patch: object;
}

async function patchAndWait(
  context: WorkloadOperationContext,
  spec: ServiceSpec,
  options: RolloutOptions,
  operation: Operation,
): Promise<RolloutResult> {
  if (options.signal.aborted) throw new RolloutCancelledError();
  const deadline = Date.now() + options.readinessTimeoutMs;
  const names = serviceNames(spec, context.platform);
  const kind = isStateful(spec) ? 'StatefulSet' : 'Deployment';
  const ref: ObjectRef = {
    apiVersion: 'apps/v1',
    kind,
    namespace: names.namespace,
    name: names.base,
  };
  const patched = await patchWorkload(context, spec, ref, operation);
  options.onProgress?.(
    `${operation.action === 'scale' ? 'scaling' : 'restarting'} ${describeObject(ref)}`,
  );
  const watch: RolloutWatchOptions = {
    namespace: names.namespace,
    workload: { kind, name: names.base },
    labelSelector: serviceLabelSelector(spec.service.id),
    signal: options.signal,
    readinessTimeoutMs: options.readinessTimeoutMs,
    pollIntervalMs: context.pollIntervalMs,
    onProgress: options.onProgress,
  };
  await waitForRollout(context.apis, watch);
  // What the workload now asks for: the new count, or (restart) whatever it was running.
  if ((patched.spec?.replicas ?? 1) > 0) return { endpoints: [clusterServiceEndpoint(names)] };
  await waitUntilStopped(context.apis, watch, deadline);
  return { endpoints: [] };
}

async function patchWorkload(
  context: WorkloadOperationContext,
  spec: ServiceSpec,
  ref: ObjectRef,
  operation: Operation,
): Promise<V1Deployment | V1StatefulSet> {
  try {
    return await patchObject<V1Deployment | V1StatefulSet>(
      context.apis,
      ref,
      operation.patch,
      `${context.fieldManager}-${operation.action}`,
    );
  } catch (error) {
    if (isNotFound(error)) {
      throw new RolloutFailedError(
        `cannot ${operation.action} ${spec.service.name}: ${describeObject(ref)} does not exist ` +
          '(the service has no successful deployment on this cluster)',
      );
    }
    const status = statusOf(error);
    if (status === 400 || status === 422) {
      const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
      throw new RolloutFailedError(
        `the cluster rejected the ${operation.action} of ${describeObject(ref)}: ${apiMessage(cause)}`,
      );
    }
    throw error; // infrastructure (KubernetesApiError): the job is retried
  }
}

/**
 * The workload reports 0 replicas as soon as its pods are told to stop; they still drain
 * (preStop, grace period). A pause is done once none is left.
 */
async function waitUntilStopped(
  apis: KubeApis,
  watch: RolloutWatchOptions,
  deadline: number,
): Promise<void> {
  const cancelled = (): Error => new RolloutCancelledError();
  let left: number | undefined;
  for (;;) {
    const pods = await pollOnce(
      apis,
      () =>
        apis.core.listNamespacedPod({
          namespace: watch.namespace,
          labelSelector: watch.labelSelector,
        }),
      { signal: watch.signal, cancelled, action: `list the instances of ${watch.workload.name}` },
    );
    if (pods !== undefined) {
      if (pods.items.length === 0) return;
      if (pods.items.length !== left)
        watch.onProgress?.(`${instances(pods.items.length)} stopping`);
      left = pods.items.length;
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      const seconds = Math.round(watch.readinessTimeoutMs / 1000);
      const still =
        left === undefined
          ? 'the instances could not be listed'
          : `${instances(left)} still stopping`;
      throw new RolloutFailedError(`not stopped within ${seconds}s: ${still}`);
    }
    await sleepUnlessAborted(Math.min(watch.pollIntervalMs, remaining), watch.signal, cancelled);
  }
}

function instances(count: number): string {
  return `${count} ${count === 1 ? 'instance' : 'instances'}`;
}
