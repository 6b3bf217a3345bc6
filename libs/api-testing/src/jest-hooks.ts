/**
 * The API's jest global setup and teardown (PostgreSQL and Redis for the run), apart from
 * `implementation.ts` so that jest's parent process does not load the whole API.
 */
import apiGlobalSetup from '../../../apps/api/test/support/global-setup';
import apiGlobalTeardown from '../../../apps/api/test/support/global-teardown';
import type { JestHooks } from './types';

export const jestHooks: JestHooks = {
  globalSetup: apiGlobalSetup,
  globalTeardown: apiGlobalTeardown,
};
