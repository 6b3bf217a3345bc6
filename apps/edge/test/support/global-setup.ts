import { globalSetup } from '@slipway/api-testing';

/** PostgreSQL and Redis for the in-process API, resolved once per run (the API's own setup). */
export default async function edgeGlobalSetup(): Promise<void> {
  await globalSetup();
}
