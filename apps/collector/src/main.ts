import pino from 'pino';
import { createCollector } from './collector';
import type { CollectorConfig } from './config/config.schema';
import { ConfigError, loadCollectorConfig, redactConfig } from './config/load-config';

async function main(): Promise<void> {
  let config: CollectorConfig;
  try {
    config = loadCollectorConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
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

main().catch((error: unknown) => {
  process.stderr.write(
    `Slipway collector failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
