import { globalTeardown } from '@slipway/api-testing';

/** Stops what the global setup started (nothing when PostgreSQL and Redis were running). */
export default async function providerGlobalTeardown(): Promise<void> {
  await globalTeardown();
}
