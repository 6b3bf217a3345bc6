module.exports = require('../../jest.preset.js')(__dirname, {
  // @kubernetes/client-node and its OIDC dependencies ship only ES modules: let SWC turn
  // them into CommonJS like our own sources.
  transformIgnorePatterns: [
    '/node_modules/(?!(@kubernetes/client-node|openid-client|oauth4webapi|jose)/)',
  ],
});
