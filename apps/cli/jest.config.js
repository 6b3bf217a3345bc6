// The e2e specs start the API in this process through @slipway/api-testing, so they need its
// global setup and teardown (PostgreSQL and Redis) and the API's ES-module exceptions; they
// run the CLI built by test/global-setup.ts as a child process.
module.exports = require('../../jest.preset.js')(__dirname, {
  testMatch: [
    '<rootDir>/src/**/*.spec.ts',
    '<rootDir>/test/**/*.e2e-spec.ts',
    '<rootDir>/test/**/*.contract.spec.ts',
  ],
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 120000,
  transformIgnorePatterns: [
    '/node_modules/(?!(@kubernetes/client-node|openid-client|oauth4webapi|jose)/)',
  ],
});
