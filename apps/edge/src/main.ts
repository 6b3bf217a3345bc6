import pino from 'pino';
import type { EdgeConfig } from './config/config.schema';
import { ConfigError, loadEdgeConfig, redactConfig } from './config/load-config';
import { createEdge } from './edge';

async function main(): Promise<void> {
  let config: EdgeConfig;
  try {
    config = loadEdgeConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = pino({ name: 'slipway-edge', level: config.log.level });
  logger.info({ config: redactConfig(config) }, 'starting the Slipway edge');
  const edge = await createEdge({ config, logger });

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn(`${signal} again: exiting now`);
      process.exit(1);
    }
    stopping = true;
    logger.info(`${signal}: draining in-flight requests and WebSockets`);
    edge.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Slipway edge failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
