import {
  BUILD_POD_SECURITY_EXCEPTION,
  DEFAULT_KANIKO_IMAGE,
  KANIKO_CAPABILITIES,
  buildJobName,
  renderBuildJob,
  renderBuildNamespace,
} from './build-job';
import { SpecValidationError } from './errors';
import { buildOptions, buildSpec } from './test-support/fixtures';
import { expectValid } from './test-support/setup';

describe('renderBuildJob', () => {
  const [secret, job] = renderBuildJob(buildSpec, buildOptions);
  expectValid(secret);
  expectValid(job);
  const pod = job.spec?.template.spec;
  const fetcher = pod?.initContainers?.[0];
  const kaniko = pod?.containers[0];

  it('returns the token Secret then the Job, sharing one name', () => {
    expect([secret.kind, job.kind]).toEqual(['Secret', 'Job']);
    expect(secret.metadata?.name).toBe(buildJobName(buildSpec));
    expect(job.metadata?.name).toBe(secret.metadata?.name);
    expect(job.metadata?.namespace).toBe('slipway-builds');
  });

  it('keeps the one-time token in the Secret only, mounted as a curl header file', () => {
    expect(Buffer.from(secret.data?.authorization ?? '', 'base64').toString()).toBe(
      `Authorization: Bearer ${buildSpec.bundle.token}`,
    );
    expect(JSON.stringify(job)).not.toContain(buildSpec.bundle.token);
    expect(fetcher?.args).toEqual(
      expect.arrayContaining([
        '--header',
        '@/var/run/slipway/bundle/authorization',
        buildSpec.bundle.url,
      ]),
    );
    expect(fetcher?.volumeMounts).toContainEqual({
      name: 'bundle-token',
      mountPath: '/var/run/slipway/bundle',
      readOnly: true,
    });
  });

  it('runs the fetcher under the restricted rules', () => {
    expect(fetcher?.securityContext).toMatchObject({
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
  });

  it('runs the Kaniko executor with the context, Dockerfile, destination, cache and redo snapshots', () => {
    expect(kaniko?.image).toBe(DEFAULT_KANIKO_IMAGE);
    expect(kaniko?.args).toEqual([
      '--context=tar:///workspace/context.tar.gz',
      '--context-sub-path=app',
      '--dockerfile=/kaniko/buildcontext/docker/Dockerfile',
      `--destination=${buildSpec.destination}`,
      '--digest-file=/dev/termination-log',
      '--snapshot-mode=redo',
      '--push-retry=2',
      '--cache=true',
      `--cache-repo=${buildSpec.cacheRepository}`,
      '--insecure-registry=registry.slipway.local:5000',
    ]);
  });

  it('reads registry credentials from the configured Secret', () => {
    expect(pod?.volumes).toContainEqual({
      name: 'registry-credentials',
      secret: {
        secretName: 'slipway-registry',
        items: [{ key: '.dockerconfigjson', path: 'config.json' }],
      },
    });
    expect(kaniko?.env).toEqual([{ name: 'DOCKER_CONFIG', value: '/kaniko/.docker' }]);
  });

  it('runs Kaniko as root with only the documented capabilities', () => {
    expect(kaniko?.name).toBe(BUILD_POD_SECURITY_EXCEPTION.container);
    expect(kaniko?.securityContext).toEqual({
      runAsNonRoot: false,
      runAsUser: 0,
      runAsGroup: 0,
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: { drop: ['ALL'], add: [...KANIKO_CAPABILITIES] },
    });
  });

  it('fails fast and cleans up: no retries, a deadline, a TTL, sized resources', () => {
    expect(job.spec).toMatchObject({
      backoffLimit: 0,
      activeDeadlineSeconds: 1800,
      ttlSecondsAfterFinished: 3600,
    });
    expect(pod?.restartPolicy).toBe('Never');
    expect(pod?.automountServiceAccountToken).toBe(false);
    expect(kaniko?.resources?.limits).toEqual({
      cpu: '2',
      memory: '4Gi',
      'ephemeral-storage': '20Gi',
    });
  });

  it('honours a configured executor image and leaves out the sub-path for the bundle root', () => {
    const [, custom] = renderBuildJob(
      { ...buildSpec, docker: { file: 'Dockerfile', context: '.' }, cacheRepository: undefined },
      {
        ...buildOptions,
        executorImage: 'registry.example.com/kaniko:v1.23.2',
        activeDeadlineSeconds: 600,
      },
    );
    const container = custom.spec?.template.spec?.containers[0];
    expect(container?.image).toBe('registry.example.com/kaniko:v1.23.2');
    expect(container?.args).not.toContainEqual(
      expect.stringMatching(/^--context-sub-path|^--cache/),
    );
    expect(container?.args).toContain('--dockerfile=/kaniko/buildcontext/Dockerfile');
    expect(custom.spec?.activeDeadlineSeconds).toBe(600);
  });

  it('refuses a build spec that would leave the bundle, naming each field', () => {
    const bad = {
      ...buildSpec,
      docker: { file: '../../etc/passwd', context: '/' },
      destination: 'Not An Image',
    };
    expect(() => renderBuildJob(bad, buildOptions)).toThrow(SpecValidationError);
    expect(() => renderBuildJob(bad, buildOptions)).toThrow(
      /build\.docker\.file: must be a relative path inside the bundle.*build\.docker\.context: .*build\.destination: must be an image reference/,
    );
  });

  it('refuses a git source: the Job builds uploaded bundles only', () => {
    const fromGit = {
      ...buildSpec,
      git: { url: 'https://github.com/acme/app.git', branch: 'main' },
    };
    expect(() => renderBuildJob(fromGit, buildOptions)).toThrow(
      /build\.git: a Kaniko build takes an uploaded source bundle, not a git repository/,
    );
  });

  it('matches the snapshot', () => {
    expect([secret, job]).toMatchSnapshot();
  });
});

describe('renderBuildNamespace', () => {
  it('enforces baseline, audits restricted, and documents the exception', () => {
    const namespace = expectValid(renderBuildNamespace({ namespace: 'builds' }));
    expect(namespace.metadata?.name).toBe('builds');
    expect(namespace.metadata?.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'baseline',
      'pod-security.kubernetes.io/audit': 'restricted',
    });
    expect(namespace.metadata?.annotations?.['slipway.dev/pod-security-exception']).toContain(
      'root',
    );
    expect(namespace).toMatchSnapshot();
  });
});
