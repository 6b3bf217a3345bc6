import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_BUNDLE_LIMITS } from '@slipway/source-bundle';
import { ENV_VARS } from './env-vars';
import { ConfigError, loadBuilderConfig, redactConfig } from './load-config';

function problemsOf(env: NodeJS.ProcessEnv): readonly string[] {
  try {
    loadBuilderConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadBuilderConfig', () => {
  it('has working defaults for every setting', () => {
    const config = loadBuilderConfig({});

    expect(config).toEqual({
      redis: { url: 'redis://127.0.0.1:6379' },
      queue: { prefix: 'bull', concurrency: 2 },
      build: {
        driver: 'docker',
        timeoutSeconds: 1800,
        workDir: join(tmpdir(), 'slipway-builds'),
        shutdownGraceSeconds: 20,
        gitTimeoutSeconds: 120,
      },
      bundle: { ...DEFAULT_BUNDLE_LIMITS },
      docker: {},
      registry: {},
      kaniko: {
        namespace: 'slipway-builds',
        executorImage: 'cgr.dev/chainguard/kaniko:latest',
        insecureRegistries: [],
      },
      log: { level: 'info' },
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.kaniko.insecureRegistries)).toBe(true);
  });

  it('reads every variable into its place', () => {
    const config = loadBuilderConfig({
      REDIS_URL: 'redis://redis:6380/2',
      SLIPWAY_QUEUE_PREFIX: 'slipway',
      SLIPWAY_BUILDER_CONCURRENCY: '4',
      SLIPWAY_BUILD_DRIVER: 'kaniko',
      SLIPWAY_BUILD_TIMEOUT_SECONDS: '600',
      SLIPWAY_BUILDER_WORK_DIR: '/var/lib/slipway/builds',
      SLIPWAY_BUILDER_SHUTDOWN_GRACE_SECONDS: '0',
      SLIPWAY_BUILDER_GIT_TIMEOUT_SECONDS: '300',
      SLIPWAY_BUNDLE_MAX_BYTES: '1000',
      SLIPWAY_BUNDLE_MAX_EXTRACTED_BYTES: '2000',
      SLIPWAY_BUNDLE_MAX_FILES: '30',
      DOCKER_HOST: 'tcp://docker:2375',
      SLIPWAY_REGISTRY_USERNAME: 'pusher',
      SLIPWAY_REGISTRY_PASSWORD: 'hunter2-secret',
      SLIPWAY_KANIKO_NAMESPACE: 'builds',
      SLIPWAY_KANIKO_EXECUTOR_IMAGE: 'kaniko@sha256:abc',
      SLIPWAY_KANIKO_REGISTRY_SECRET: 'registry-push',
      SLIPWAY_KANIKO_INSECURE_REGISTRIES: 'registry:5000, 127.0.0.1:5000,',
      KUBECONFIG: '/etc/kube/config',
      LOG_LEVEL: 'debug',
    });

    expect(config).toEqual({
      redis: { url: 'redis://redis:6380/2' },
      queue: { prefix: 'slipway', concurrency: 4 },
      build: {
        driver: 'kaniko',
        timeoutSeconds: 600,
        workDir: '/var/lib/slipway/builds',
        shutdownGraceSeconds: 0,
        gitTimeoutSeconds: 300,
      },
      bundle: { maxArchiveBytes: 1000, maxExtractedBytes: 2000, maxFiles: 30 },
      docker: { host: 'tcp://docker:2375' },
      registry: { username: 'pusher', password: 'hunter2-secret' },
      kaniko: {
        namespace: 'builds',
        executorImage: 'kaniko@sha256:abc',
        registrySecretName: 'registry-push',
        insecureRegistries: ['registry:5000', '127.0.0.1:5000'],
        kubeconfig: '/etc/kube/config',
      },
      log: { level: 'debug' },
    });
  });

  it('lists every problem at once, naming the variable', () => {
    const problems = problemsOf({
      REDIS_URL: 'http://redis',
      SLIPWAY_BUILDER_CONCURRENCY: 'two',
      SLIPWAY_BUILD_DRIVER: 'podman',
      SLIPWAY_BUILD_TIMEOUT_SECONDS: '0',
      SLIPWAY_BUILDER_WORK_DIR: 'relative/dir',
      SLIPWAY_BUILDER_GIT_TIMEOUT_SECONDS: '3601',
      SLIPWAY_BUNDLE_MAX_BYTES: '-5',
      SLIPWAY_BUNDLE_MAX_FILES: '0',
      DOCKER_HOST: 'docker:2375',
      SLIPWAY_REGISTRY_USERNAME: 'only-user',
      SLIPWAY_QUEUE_PREFIX: 'has:colon',
      LOG_LEVEL: 'loud',
    });

    expect(problems).toEqual([
      "SLIPWAY_BUILDER_CONCURRENCY: must be a whole number (got 'two')",
      "SLIPWAY_BUNDLE_MAX_BYTES: must be a whole number (got '-5')",
      'REDIS_URL (redis.url): must be a redis:// or rediss:// URL',
      'SLIPWAY_QUEUE_PREFIX (queue.prefix): must be 1-64 letters, digits, ".", "_" or "-"',
      'SLIPWAY_BUILD_DRIVER (build.driver): Invalid option: expected one of "docker"|"kaniko"',
      'SLIPWAY_BUILD_TIMEOUT_SECONDS (build.timeoutSeconds): Too small: expected number to be >=1',
      'SLIPWAY_BUILDER_WORK_DIR (build.workDir): must be an absolute path',
      'SLIPWAY_BUILDER_GIT_TIMEOUT_SECONDS (build.gitTimeoutSeconds): Too big: expected number to be <=3600',
      'SLIPWAY_BUNDLE_MAX_FILES (bundle.maxFiles): Too small: expected number to be >=1',
      'DOCKER_HOST (docker.host): must start with unix://, tcp://, http:// or https://',
      'LOG_LEVEL (log.level): Invalid option: expected one of "fatal"|"error"|"warn"|"info"|"debug"|"trace"|"silent"',
    ]);
  });

  it('checks settings that depend on each other', () => {
    expect(
      problemsOf({ SLIPWAY_BUILD_DRIVER: 'kaniko', SLIPWAY_REGISTRY_PASSWORD: 'secret-only' }),
    ).toEqual([
      'SLIPWAY_KANIKO_REGISTRY_SECRET (kaniko.registrySecretName): is required when SLIPWAY_BUILD_DRIVER=kaniko',
      'SLIPWAY_REGISTRY_USERNAME (registry.username): set both SLIPWAY_REGISTRY_USERNAME and SLIPWAY_REGISTRY_PASSWORD, or neither',
    ]);
  });

  it('applies overrides over the environment', () => {
    const config = loadBuilderConfig(
      { SLIPWAY_BUILDER_CONCURRENCY: '4', SLIPWAY_QUEUE_PREFIX: 'from-env' },
      { queue: { prefix: 'from-test' }, build: { timeoutSeconds: 5 } },
    );
    expect(config.queue).toEqual({ prefix: 'from-test', concurrency: 4 });
    expect(config.build.timeoutSeconds).toBe(5);
  });

  it('treats empty variables as unset', () => {
    expect(loadBuilderConfig({ SLIPWAY_BUILD_DRIVER: '', DOCKER_HOST: ' ' }).build.driver).toBe(
      'docker',
    );
  });
});

describe('redactConfig', () => {
  it('replaces every sensitive value and keeps the rest', () => {
    const config = loadBuilderConfig({
      REDIS_URL: 'redis://:redis-password@redis:6379',
      SLIPWAY_REGISTRY_USERNAME: 'pusher',
      SLIPWAY_REGISTRY_PASSWORD: 'hunter2-secret',
    });

    const redacted = redactConfig(config);

    expect(JSON.stringify(redacted)).not.toMatch(/hunter2|redis-password|pusher/);
    expect(redacted.registry).toEqual({ username: '[redacted]', password: '[redacted]' });
    expect(redacted.queue).toEqual({ prefix: 'bull', concurrency: 2 });
    expect(config.registry.password).toBe('hunter2-secret');
  });

  it('knows every variable: each has a description and a default', () => {
    for (const variable of ENV_VARS) {
      expect(variable.description.length).toBeGreaterThan(10);
      expect(variable.defaultValue.length).toBeGreaterThan(0);
    }
    expect(ENV_VARS.filter((v) => v.sensitive).map((v) => v.name)).toEqual([
      'REDIS_URL',
      'SLIPWAY_REGISTRY_USERNAME',
      'SLIPWAY_REGISTRY_PASSWORD',
    ]);
  });
});
