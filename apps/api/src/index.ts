/** Entry points for processes that embed the API (the image's smoke check, test harnesses). */
export { AppModule } from './app.module';
export { createApp } from './app.setup';
export { loadConfig } from './config/load-config';
export type { AppConfig } from './config/config.schema';
