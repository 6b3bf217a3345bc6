import { runMain } from '@slipway/app-config';
import pino from 'pino';
import { createCollector } from './collector';
import type { CollectorConfig } from './config/config.schema';
import { loadCollectorConfig, redactConfig } from './config/load-config';

async function start(config: CollectorConfig): Promise<void> {
  const logger = pino({ name: 'slipway-collector', level: config.log.level });
  logger.info({ config: redactConfig(config) }, 'starting the Slipway collector');
  const collector = await createCollector({ config, logger });

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn(`${signal} again: exiting now; unacknowledged spans are retried by the SDKs`);
      process.exit(1);
    }
    stopping = true;
    logger.info(`${signal}: finishing in-flight exports`);
    collector.close().then(
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

void runMain('Slipway collector', () => loadCollectorConfig(process.env), start);
