import 'reflect-metadata';
import { runMain } from '@slipway/app-config';
import pino from 'pino';
import { createBuilder } from './builder';
import type { BuilderConfig } from './config/config.schema';
import { loadBuilderConfig, redactConfig } from './config/load-config';
import { PinoLoggerService } from './logs/pino-logger';

async function start(config: BuilderConfig): Promise<void> {
  const log = pino({ name: 'slipway-builder', level: config.log.level });
  log.info({ config: redactConfig(config) }, 'starting the Slipway builder');
  const builder = await createBuilder({ config, logger: new PinoLoggerService(log) });

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      log.warn(
        `${signal} again: exiting now; running builds go back to the queue when their locks expire`,
      );
      process.exit(1);
    }
    stopping = true;
    log.info(
      `${signal}: no new builds; running builds get ${config.build.shutdownGraceSeconds} s to finish`,
    );
    builder.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

void runMain('Slipway builder', () => loadBuilderConfig(process.env), start);
