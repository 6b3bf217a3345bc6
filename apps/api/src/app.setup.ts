import { NestFactory } from '@nestjs/core';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { jsonBody } from './common/http/json-body';
import { createValidationPipe } from './common/validation/validation.pipe';
import { type AppConfig } from './config/config.schema';
import { setupOpenApi } from './openapi';
import { webApp, webDirectory } from './web/web-app';

/** Builds the API exactly as production runs it; tests use the same function. */
export async function createApp(config: AppConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forConfig(config), {
    bodyParser: false,
    bufferLogs: true,
    // Fail by throwing (main() reports it) instead of exiting inside Nest.
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  app.set('trust proxy', config.http.trustProxy);
  app.use(jsonBody(config.http.bodyLimitBytes));
  const webDir = webDirectory(config.webDir);
  if (webDir !== undefined) app.use(webApp(webDir));
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  setupOpenApi(app);
  return app;
}
