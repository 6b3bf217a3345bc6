// Unit specs sit beside the code; the e2e specs in test/ start the API in this process
// through @slipway/api-testing (docker runtime), so they need its global setup and teardown
// and the API's ES-module exceptions.
module.exports = require('../../jest.preset.js')(__dirname, {
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 120000,
  transformIgnorePatterns: [
    '/node_modules/(?!(@kubernetes/client-node|openid-client|oauth4webapi|jose)/)',
  ],
});
