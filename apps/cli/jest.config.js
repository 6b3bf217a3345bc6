// The e2e spec starts the API in this process from its sources, so it needs the API's
// global setup (PostgreSQL and Redis) and its ES-module exceptions; it runs the CLI built
// by test/global-setup.ts as a child process.
module.exports = require('../../jest.preset.js')(__dirname, {
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/../api/test/support/global-teardown.ts',
  testTimeout: 120000,
  transformIgnorePatterns: [
    '/node_modules/(?!(@kubernetes/client-node|openid-client|oauth4webapi|jose)/)',
  ],
});
