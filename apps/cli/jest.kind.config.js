// The end-to-end suite against a running `docker compose --profile kind up` stack (Kubernetes
// runtime, Kaniko builds, the edge in the cluster). It needs that stack, so it is not part of
// `npm test`: .github/workflows/e2e-kind.yml runs it on a GitHub runner.
//   SLIPWAY_KIND_API_URL=http://127.0.0.1:3000 npx jest -c apps/cli/jest.kind.config.js
module.exports = require('../../jest.preset.js')(__dirname, {
  testMatch: ['<rootDir>/test/kind/**/*.kind-spec.ts'],
  testTimeout: 3600000,
});
