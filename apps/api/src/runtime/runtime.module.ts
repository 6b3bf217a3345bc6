import { Global, Logger, Module } from '@nestjs/common';
import {
  COLLECTOR_APP_LABEL,
  EDGE_APP_LABEL,
  EDGE_SERVICE_NAME,
  type PlatformOptions,
} from '@slipway/k8s-spec';
import { getDataSourceToken } from '@nestjs/typeorm';
import Dockerode from 'dockerode';
import { type DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module';
import { type AppConfig } from '../config/config.schema';
import { RoutesModule } from '../routes/routes.module';
import { Installation } from '../installation/installation.entity';
import { RUNTIME_DRIVER, type RuntimeDriver } from './runtime-driver';

export function kubernetesPlatform(config: AppConfig): PlatformOptions {
  const namespace = config.runtime.kubernetes.systemNamespace;
  return {
    collector: {
      namespace,
      // As the platform's manifests label the collector's pods (renderPlatformObjects).
      podLabels: { ...COLLECTOR_APP_LABEL },
      endpoint: config.runtime.collectorUrl,
    },
    edge: {
      namespace,
      // As the platform's manifests label and name the edge (renderPlatformObjects).
      podLabels: { ...EDGE_APP_LABEL },
      serviceName: EDGE_SERVICE_NAME,
    },
    namespacePrefix: config.runtime.kubernetes.namespacePrefix,
    drainSeconds: config.runtime.drainSeconds,
  };
}

async function createDriver(config: AppConfig, dataSource: DataSource): Promise<RuntimeDriver> {
  const logger = new Logger('Runtime');
  switch (config.runtime.driver) {
    case 'docker': {
      const { DockerRuntimeDriver } = await import('./docker');
      const { username, password } = config.registry;
      logger.log(`services run on the Docker Engine (network ${config.runtime.docker.network})`);
      // DOCKER_HOST, when set, is honoured by dockerode's defaults.
      return new DockerRuntimeDriver(new Dockerode(), {
        network: config.runtime.docker.network,
        pullPolicy: config.runtime.docker.pullPolicy,
        registryAuth:
          username && password ? { username, password, registry: config.registry.host } : undefined,
        collectorEndpoint: config.runtime.collectorUrl,
        stopTimeoutSeconds: config.runtime.docker.stopTimeoutSeconds,
        // A TCP connect or one GET on the container network is cheap; polling often saves
        // most of a poll interval on every rollout.
        readinessPollMs: 100,
        installationId: await installationIdOf(dataSource),
      });
    }
    case 'kubernetes': {
      // Loaded only when chosen: the Kubernetes client is large and unused on one machine.
      const [{ KubeConfig }, { KubernetesRuntimeDriver }] = await Promise.all([
        import('@kubernetes/client-node'),
        import('./kubernetes'),
      ]);
      const kubeConfig = new KubeConfig();
      kubeConfig.loadFromDefault();
      logger.log(`services run on Kubernetes (${kubeConfig.getCurrentCluster()?.server ?? '?'})`);
      return new KubernetesRuntimeDriver(kubeConfig, { platform: kubernetesPlatform(config) });
    }
  }
}

/** Written by the migration that created the table: one row. */
async function installationIdOf(dataSource: DataSource): Promise<string> {
  const [installation] = await dataSource
    .getRepository(Installation)
    .find({ order: { createdAt: 'ASC' }, take: 1 });
  if (!installation) throw new Error('the installation table is empty: run the migrations');
  return installation.id;
}

@Global()
@Module({
  imports: [RoutesModule],
  providers: [
    {
      provide: RUNTIME_DRIVER,
      inject: [APP_CONFIG, getDataSourceToken()],
      useFactory: createDriver,
    },
  ],
  exports: [RUNTIME_DRIVER, RoutesModule],
})
export class RuntimeModule {}
