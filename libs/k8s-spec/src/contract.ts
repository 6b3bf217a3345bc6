/**
 * The container contract as code: what every service container gets, on Kubernetes
 * here and with the same values on the docker runtime.
 */
import { CONTAINER_PORT } from '@slipway/contracts';
import type { ISecurityContext } from 'kubernetes-models/v1/SecurityContext';
import { Size } from './quantities';

export const CONTAINER_CONTRACT = {
  port: CONTAINER_PORT,
  portName: 'http',
  uid: 1000,
  gid: 1000,
  /** The only writable path; memory-backed, so what is written counts against memory. */
  tmpPath: '/tmp',
  tmpSize: Size.mebibytes(512),
  containerName: 'app',
} as const;

/** The port the service's container listens on. */
export function servicePort(spec: { readonly port?: number }): number {
  return spec.port ?? CONTAINER_CONTRACT.port;
}

/** Extended resource the NVIDIA device plugin advertises. */
export const GPU_RESOURCE = 'nvidia.com/gpu';

/**
 * Container security context meeting the `restricted` Pod Security Standard: non-root,
 * read-only root filesystem, no privilege escalation, every capability dropped.
 */
export function restrictedSecurityContext(
  uid: number = CONTAINER_CONTRACT.uid,
  gid: number = CONTAINER_CONTRACT.gid,
): ISecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: gid,
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    privileged: false,
    capabilities: { drop: ['ALL'] },
  };
}
