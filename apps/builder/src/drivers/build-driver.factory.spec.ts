import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBuilderConfig } from '../config/load-config';
import { createBuildDriver, kanikoBuildOptions } from './build-driver.factory';
import { DockerBuildDriver } from './docker/docker-build-driver';
import { KanikoBuildDriver } from './kaniko/kaniko-build-driver';

describe('createBuildDriver', () => {
  it('builds the docker driver by default', async () => {
    const driver = await createBuildDriver(loadBuilderConfig({}));
    expect(driver).toBeInstanceOf(DockerBuildDriver);
    expect(driver.kind).toBe('docker');
  });

  it('maps the kaniko settings onto the Job options the kaniko driver takes', () => {
    const config = loadBuilderConfig({
      SLIPWAY_BUILD_DRIVER: 'kaniko',
      SLIPWAY_KANIKO_REGISTRY_SECRET: 'registry-push',
      SLIPWAY_KANIKO_NAMESPACE: 'builds',
      SLIPWAY_KANIKO_INSECURE_REGISTRIES: 'registry:5000',
      SLIPWAY_BUILD_TIMEOUT_SECONDS: '900',
    });
    expect(kanikoBuildOptions(config)).toEqual({
      registrySecretName: 'registry-push',
      namespace: 'builds',
      executorImage: 'cgr.dev/chainguard/kaniko:latest',
      insecureRegistries: ['registry:5000'],
      activeDeadlineSeconds: 900,
    });
  });

  it('builds the kaniko driver from the kubeconfig SLIPWAY_BUILD_DRIVER=kaniko names', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slipway-kubeconfig-'));
    const kubeconfig = join(dir, 'config');
    await writeFile(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters: [{name: test, cluster: {server: "https://127.0.0.1:6443"}}]',
        'users: [{name: test, user: {token: test}}]',
        'contexts: [{name: test, context: {cluster: test, user: test}}]',
        'current-context: test',
        '',
      ].join('\n'),
    );
    try {
      const driver = await createBuildDriver(
        loadBuilderConfig({
          SLIPWAY_BUILD_DRIVER: 'kaniko',
          SLIPWAY_KANIKO_REGISTRY_SECRET: 'registry-push',
          KUBECONFIG: kubeconfig,
        }),
      );
      expect(driver).toBeInstanceOf(KanikoBuildDriver);
      expect(driver.kind).toBe('kaniko');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
