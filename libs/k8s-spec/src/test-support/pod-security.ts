/**
 * Test helper: the Pod Security Standards (kubernetes.io/docs/concepts/security/pod-security-standards)
 * applied to a pod template, at `baseline` or `restricted` (which includes baseline).
 */
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSecurityContext } from 'kubernetes-models/v1/PodSecurityContext';
import type { IPodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import type { ISecurityContext } from 'kubernetes-models/v1/SecurityContext';

export type Level = 'baseline' | 'restricted';

export interface Violation {
  readonly rule: string;
  /** The container at fault, or undefined for a pod-level violation. */
  readonly container?: string;
  readonly message: string;
}

const BASELINE_CAPABILITIES = new Set(
  'AUDIT_WRITE CHOWN DAC_OVERRIDE FOWNER FSETID KILL MKNOD NET_BIND_SERVICE SETFCAP SETGID SETPCAP SETUID SYS_CHROOT'.split(
    ' ',
  ),
);
const RESTRICTED_VOLUME_TYPES = new Set(
  'configMap csi downwardAPI emptyDir ephemeral persistentVolumeClaim projected secret'.split(' '),
);
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  ...'ip_local_port_range ip_unprivileged_port_start tcp_syncookies ping_group_range ip_local_reserved_ports tcp_keepalive_time tcp_fin_timeout tcp_keepalive_intvl tcp_keepalive_probes'
    .split(' ')
    .map((name) => `net.ipv4.${name}`),
]);
const SELINUX_TYPES = new Set([
  '',
  'container_t',
  'container_init_t',
  'container_kvm_t',
  'container_engine_t',
]);

type Add = (rule: string, message: string) => void;

/** Baseline rules that apply alike to the pod's and to each container's security context. */
function checkContext(context: IPodSecurityContext | ISecurityContext, add: Add): void {
  if (context.windowsOptions?.hostProcess === true)
    add('hostProcess', 'hostProcess must not be true');
  if (context.seccompProfile?.type === 'Unconfined')
    add('seccomp', 'seccomp must not be Unconfined');
  if (context.appArmorProfile?.type === 'Unconfined')
    add('appArmor', 'AppArmor must not be Unconfined');
  const seLinux = context.seLinuxOptions;
  if (
    seLinux !== undefined &&
    (!SELINUX_TYPES.has(seLinux.type ?? '') ||
      seLinux.user !== undefined ||
      seLinux.role !== undefined)
  ) {
    add('seLinux', 'SELinux options must not set user, role or a custom type');
  }
}

function checkContainer(
  container: IContainer,
  pod: IPodSecurityContext,
  level: Level,
  add: Add,
): void {
  const context = container.securityContext ?? {};
  checkContext(context, add);
  if (context.privileged === true) add('privileged', 'must not be privileged');
  if (context.procMount !== undefined && context.procMount !== 'Default')
    add('procMount', 'procMount must be Default');
  for (const port of container.ports ?? []) {
    if ((port.hostPort ?? 0) !== 0) add('hostPorts', `hostPort ${port.hostPort} is not allowed`);
  }
  const added = context.capabilities?.add ?? [];
  if (level === 'baseline') {
    const extra = added.filter((capability) => !BASELINE_CAPABILITIES.has(capability));
    if (extra.length > 0)
      add('capabilities', `adds capabilities beyond baseline (${extra.join(', ')})`);
    return;
  }
  if (!(context.capabilities?.drop ?? []).includes('ALL'))
    add('capabilities', 'must drop ALL capabilities');
  const extra = added.filter((capability) => capability !== 'NET_BIND_SERVICE');
  if (extra.length > 0)
    add('capabilities', `may add only NET_BIND_SERVICE (adds ${extra.join(', ')})`);
  if (context.allowPrivilegeEscalation !== false)
    add('allowPrivilegeEscalation', 'allowPrivilegeEscalation must be false');
  if ((context.runAsNonRoot ?? pod.runAsNonRoot) !== true)
    add('runAsNonRoot', 'runAsNonRoot must be true (container or pod)');
  if (context.runAsUser === 0) add('runAsUser', 'runAsUser must not be 0');
  const seccomp = context.seccompProfile?.type ?? pod.seccompProfile?.type;
  if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') {
    add('seccomp', 'seccomp profile must be RuntimeDefault or Localhost (container or pod)');
  }
}

export function podSecurityViolations(template: IPodTemplateSpec, level: Level): Violation[] {
  const pod = template.spec;
  if (pod === undefined) return [{ rule: 'spec', message: 'pod template has no spec' }];
  const out: Violation[] = [];
  const addForPod: Add = (rule, message) => out.push({ rule, message });
  const podContext = pod.securityContext ?? {};

  if (pod.hostNetwork === true || pod.hostPID === true || pod.hostIPC === true) {
    addForPod('hostNamespaces', 'hostNetwork, hostPID and hostIPC must be unset or false');
  }
  checkContext(podContext, addForPod);
  for (const sysctl of podContext.sysctls ?? []) {
    if (!SAFE_SYSCTLS.has(sysctl.name))
      addForPod('sysctls', `sysctl ${sysctl.name} is not in the safe set`);
  }
  for (const [key, value] of Object.entries(template.metadata?.annotations ?? {})) {
    const apparmor = key.startsWith('container.apparmor.security.beta.kubernetes.io/');
    if (apparmor && value !== 'runtime/default' && !value.startsWith('localhost/')) {
      addForPod('appArmor', `annotation ${key} must be runtime/default or localhost/*`);
    }
  }
  for (const volume of pod.volumes ?? []) {
    const types = Object.keys(volume).filter((key) => key !== 'name');
    if (types.includes('hostPath'))
      addForPod('hostPathVolumes', `volume ${volume.name} is a hostPath`);
    else if (level === 'restricted' && !types.every((type) => RESTRICTED_VOLUME_TYPES.has(type))) {
      addForPod(
        'volumeTypes',
        `volume ${volume.name} has a type outside the restricted set (${types.join(', ')})`,
      );
    }
  }
  if (level === 'restricted' && podContext.runAsUser === 0)
    addForPod('runAsUser', 'pod runAsUser must not be 0');

  const containers: IContainer[] = [
    ...(pod.initContainers ?? []),
    ...pod.containers,
    ...(pod.ephemeralContainers ?? []),
  ];
  for (const container of containers) {
    checkContainer(container, podContext, level, (rule, message) =>
      out.push({ rule, container: container.name, message }),
    );
  }
  return out;
}
