/**
 * The one place the build driver is chosen (SLIPWAY_BUILD_DRIVER) and built from config.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { BuildOptions } from '@slipway/k8s-spec';
import type { BuilderConfig } from '../config/config.schema';
import type { BuildDriver } from './build-driver';
import { createDockerClient } from './docker/docker-client';
import { DockerBuildDriver } from './docker/docker-build-driver';

export async function createBuildDriver(config: BuilderConfig): Promise<BuildDriver> {
  switch (config.build.driver) {
    case 'docker':
      return new DockerBuildDriver({
        docker: createDockerClient(config.docker.host),
        workDir: config.build.workDir,
        limits: { ...config.bundle },
        gitTimeoutSeconds: config.build.gitTimeoutSeconds,
        credentials:
          config.registry.username && config.registry.password
            ? { username: config.registry.username, password: config.registry.password }
            : undefined,
      });
    case 'kaniko':
      return createKanikoDriver(config);
  }
}

/** What the kaniko driver's Job needs from the builder's config. */
export function kanikoBuildOptions(config: BuilderConfig): BuildOptions {
  const { kaniko } = config;
  if (!kaniko.registrySecretName) {
    throw new Error('SLIPWAY_KANIKO_REGISTRY_SECRET is required with the kaniko driver');
  }
  return {
    registrySecretName: kaniko.registrySecretName,
    namespace: kaniko.namespace,
    executorImage: kaniko.executorImage,
    insecureRegistries: [...kaniko.insecureRegistries],
    activeDeadlineSeconds: config.build.timeoutSeconds,
  };
}

async function createKanikoDriver(config: BuilderConfig): Promise<BuildDriver> {
  const build = kanikoBuildOptions(config);
  const { KanikoBuildDriver } = await import('./kaniko/kaniko-build-driver');
  return new KanikoBuildDriver({ kubeConfig: await loadKubeConfig(config), build });
}

/** KUBECONFIG when set, else in-cluster or ~/.kube/config. */
export async function loadKubeConfig(config: BuilderConfig): Promise<KubeConfig> {
  // Loaded only for the kaniko driver: the Kubernetes client is large (and ESM).
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kubeConfig = new KubeConfig();
  if (config.kaniko.kubeconfig) kubeConfig.loadFromFile(config.kaniko.kubeconfig);
  else kubeConfig.loadFromDefault();
  return kubeConfig;
}
