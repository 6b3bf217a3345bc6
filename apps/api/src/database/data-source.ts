import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/load-config';
import { dataSourceOptions } from './data-source-options';

/** The DataSource the TypeORM CLI uses (`npm run migration:generate -w @slipway/api`). */
export default new DataSource(dataSourceOptions(loadConfig().database.url));
