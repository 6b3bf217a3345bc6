import { join } from 'node:path';
import { type DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';

/** Options shared by the running API, the migrate command and the TypeORM CLI. */
export function dataSourceOptions(url: string, migrateOnStart = false): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    // Checked-in migrations only; the schema is never synchronised from entities.
    synchronize: false,
    migrations: [join(__dirname, 'migrations', '*.{js,ts}')],
    migrationsRun: migrateOnStart,
    migrationsTransactionMode: 'each',
    applicationName: 'slipway-api',
  };
}
