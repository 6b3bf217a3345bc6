/**
 * The local stack's janitor: a process that waits, and when the stack stops (SIGTERM from
 * `docker compose stop` or `down`) removes the service instances on the stack's network.
 * Compose knows nothing of them (the API made them), so without it `down -v` would leave
 * them running and fail to remove the network they hold. When the stack starts again, the
 * API's InstanceRestorer brings the services back from their live deployments.
 *
 *   SLIPWAY_DOCKER_NETWORK=slipway node apps/api/dist/runtime/docker/janitor.js
 */
import { MANAGED_BY } from '@slipway/k8s-spec';
import Dockerode from 'dockerode';
import pino from 'pino';
import { DOCKER_LABELS } from './docker-naming';

/** Force-removes every Slipway instance attached to `network`; answers their names. */
export async function removeServiceInstances(
  docker: Dockerode,
  network: string,
): Promise<string[]> {
  const containers = await docker.listContainers({
    all: true,
    filters: { label: [`${DOCKER_LABELS.managedBy}=${MANAGED_BY}`], network: [network] },
  });
  await Promise.all(
    containers.map(async (container) => {
      try {
        await docker.getContainer(container.Id).remove({ force: true });
      } catch (error) {
        // Gone meanwhile (its retire job got there first) is what was wanted.
        if ((error as { statusCode?: number }).statusCode !== 404) throw error;
      }
    }),
  );
  return containers.map((container) => (container.Names[0] ?? container.Id).replace(/^\//, ''));
}

function main(): void {
  const logger = pino({ name: 'slipway-janitor', level: process.env.LOG_LEVEL ?? 'info' });
  const network = process.env.SLIPWAY_DOCKER_NETWORK?.trim();
  if (!network) {
    logger.fatal('SLIPWAY_DOCKER_NETWORK is required: the network whose service instances go');
    process.exit(2);
  }
  const docker = new Dockerode();
  const keepAlive = setInterval(() => undefined, 1 << 30);
  logger.info(`removing the service instances on network ${network} when the stack stops`);
  const stop = (signal: string) => {
    clearInterval(keepAlive);
    removeServiceInstances(docker, network).then(
      (removed) => {
        logger.info(`${signal}: removed ${removed.length} service instance(s)`);
        process.exit(0);
      },
      (error: Error) => {
        logger.error(`${signal}: could not remove the service instances: ${error.message}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

if (require.main === module) main();
