import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { runMain } from '@slipway/app-config';
import { createApp } from './app.setup';
import type { AppConfig } from './config/config.schema';
import { loadConfig, redactConfig } from './config/load-config';

async function start(config: AppConfig): Promise<void> {
  const app = await createApp(config);
  await app.listen(config.http.port);
  const logger = new Logger('Slipway');
  logger.log({ config: redactConfig(config) }, `Slipway API listening on :${config.http.port}`);
  if (config.env !== 'production' && config.secretKey.startsWith('slipway-development')) {
    logger.warn(
      'SLIPWAY_SECRET_KEY is not set: using the development key. Set it before storing real data.',
    );
  }
}

void runMain('Slipway API', () => loadConfig(), start);
