module.exports = require('../../jest.preset.js')(__dirname, {
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  testTimeout: 30000,
  // The OTLP exporters load node:http with import(), which Jest's CommonJS runtime cannot
  // run: let SWC turn it into require() like our own sources.
  transformIgnorePatterns: ['/node_modules/(?!@opentelemetry/otlp-exporter-base/)'],
});
