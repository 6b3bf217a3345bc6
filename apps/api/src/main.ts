import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app.setup';
import { ConfigError, loadConfig, redactConfig } from './config/load-config';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
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

main().catch((error: unknown) => {
  process.stderr.write(
    `Slipway API failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
