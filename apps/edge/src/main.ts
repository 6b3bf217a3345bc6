import { runMain } from '@slipway/app-config';
import pino from 'pino';
import type { EdgeConfig } from './config/config.schema';
import { loadEdgeConfig, redactConfig } from './config/load-config';
import { createEdge } from './edge';

async function start(config: EdgeConfig): Promise<void> {
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

void runMain('Slipway edge', () => loadEdgeConfig(process.env), start);
