import { globalTeardown } from '@slipway/api-testing';

/** Stops what the global setup started (nothing when PostgreSQL and Redis were running). */
export default async function cliGlobalTeardown(): Promise<void> {
  await globalTeardown();
}
