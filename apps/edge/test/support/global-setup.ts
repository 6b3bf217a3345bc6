// Loaded untyped, like the API stack in the e2e specs: the edge does not compile against the API.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { default: apiGlobalSetup } = require('../../../api/test/support/global-setup') as {
  default: () => Promise<void>;
};

/** PostgreSQL and Redis for the in-process API, resolved once per run (the API's own setup). */
export default async function globalSetup(): Promise<void> {
  await apiGlobalSetup();
}
