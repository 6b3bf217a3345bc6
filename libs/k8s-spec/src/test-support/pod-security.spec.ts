import type { IPodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import { renderServiceObjects } from '../render';
import { baseSpec, platform } from './fixtures';
import { podSecurityViolations } from './pod-security';

/** The rendered pod template, deep-copied so each case can break one rule. */
function template(): IPodTemplateSpec {
  const found = renderServiceObjects(baseSpec, platform).find(
    (object) => object.kind === 'Deployment',
  );
  if (found?.kind !== 'Deployment' || found.spec === undefined)
    throw new Error('no Deployment rendered');
  return JSON.parse(JSON.stringify(found.spec.template)) as IPodTemplateSpec;
}

type Breaker = (pod: NonNullable<IPodTemplateSpec['spec']>) => void;

const ruleOf = (breaker: Breaker, level: 'baseline' | 'restricted' = 'restricted'): string[] => {
  const broken = template();
  if (broken.spec === undefined) throw new Error('no pod spec');
  breaker(broken.spec);
  return podSecurityViolations(broken, level).map((violation) => violation.rule);
};

const app = (pod: NonNullable<IPodTemplateSpec['spec']>) => {
  const container = pod.containers[0];
  if (container === undefined) throw new Error('no container');
  container.securityContext ??= {};
  return container.securityContext;
};

describe('podSecurityViolations (the test helper itself)', () => {
  it('passes the rendered service pod at both levels', () => {
    expect(podSecurityViolations(template(), 'restricted')).toEqual([]);
    expect(podSecurityViolations(template(), 'baseline')).toEqual([]);
  });

  it.each<[string, Breaker, string]>([
    ['host network', (pod) => void (pod.hostNetwork = true), 'hostNamespaces'],
    ['a privileged container', (pod) => void (app(pod).privileged = true), 'privileged'],
    [
      'a host port',
      (pod) => void pod.containers[0]?.ports?.push({ containerPort: 80, hostPort: 80 }),
      'hostPorts',
    ],
    [
      'a hostPath volume',
      (pod) => void pod.volumes?.push({ name: 'h', hostPath: { path: '/' } }),
      'hostPathVolumes',
    ],
    [
      'an unsafe sysctl',
      (pod) =>
        void (pod.securityContext = {
          ...pod.securityContext,
          sysctls: [{ name: 'kernel.msgmax', value: '1' }],
        }),
      'sysctls',
    ],
    ['an unmasked /proc', (pod) => void (app(pod).procMount = 'Unmasked'), 'procMount'],
    [
      'an unconfined seccomp profile',
      (pod) => void (app(pod).seccompProfile = { type: 'Unconfined' }),
      'seccomp',
    ],
    [
      'a custom SELinux user',
      (pod) => void (app(pod).seLinuxOptions = { user: 'root' }),
      'seLinux',
    ],
    [
      'a non-baseline capability',
      (pod) => void (app(pod).capabilities = { drop: ['ALL'], add: ['SYS_ADMIN'] }),
      'capabilities',
    ],
  ])('flags %s at baseline', (_case, breaker, rule) => {
    expect(ruleOf(breaker, 'baseline')).toContain(rule);
    expect(ruleOf(breaker, 'restricted')).toContain(rule);
  });

  it.each<[string, Breaker, string]>([
    [
      'privilege escalation left on',
      (pod) => void delete app(pod).allowPrivilegeEscalation,
      'allowPrivilegeEscalation',
    ],
    [
      'runAsNonRoot missing everywhere',
      (pod) => {
        delete app(pod).runAsNonRoot;
        if (pod.securityContext) delete pod.securityContext.runAsNonRoot;
      },
      'runAsNonRoot',
    ],
    [
      'runAsNonRoot false in the container',
      (pod) => void (app(pod).runAsNonRoot = false),
      'runAsNonRoot',
    ],
    ['UID 0', (pod) => void (app(pod).runAsUser = 0), 'runAsUser'],
    ['capabilities not dropped', (pod) => void (app(pod).capabilities = {}), 'capabilities'],
    [
      'a capability other than NET_BIND_SERVICE',
      (pod) => void (app(pod).capabilities = { drop: ['ALL'], add: ['CHOWN'] }),
      'capabilities',
    ],
    ['no seccomp profile', (pod) => void delete pod.securityContext?.seccompProfile, 'seccomp'],
    [
      'a gitRepo-like volume type',
      (pod) => void pod.volumes?.push({ name: 'n', nfs: { server: 'x', path: '/' } }),
      'volumeTypes',
    ],
  ])('flags %s at restricted only', (_case, breaker, rule) => {
    expect(ruleOf(breaker, 'restricted')).toContain(rule);
    expect(ruleOf(breaker, 'baseline')).not.toContain(rule);
  });

  it('allows NET_BIND_SERVICE under restricted', () => {
    expect(
      ruleOf((pod) => void (app(pod).capabilities = { drop: ['ALL'], add: ['NET_BIND_SERVICE'] })),
    ).toEqual([]);
  });
});
