// Shared Jest preset: SWC transpiles TypeScript (with the legacy decorators and metadata
// NestJS and TypeORM need) so tests do not wait on tsc; `npm run typecheck` checks types.
const path = require('node:path');

/** @param {string} packageDir @param {import('jest').Config} [overrides] */
module.exports = function jestConfig(packageDir, overrides = {}) {
  const root = path.resolve(__dirname);
  return {
    rootDir: packageDir,
    testEnvironment: 'node',
    testMatch: [
      '<rootDir>/src/**/*.spec.ts',
      '<rootDir>/src/**/*.e2e-spec.ts',
      '<rootDir>/test/**/*.spec.ts',
    ],
    transform: {
      '^.+\\.(t|j)s$': [
        '@swc/jest',
        {
          jsc: {
            parser: { syntax: 'typescript', decorators: true },
            transform: { legacyDecorator: true, decoratorMetadata: true },
            target: 'es2022',
            keepClassNames: true,
          },
          module: { type: 'commonjs' },
        },
      ],
    },
    moduleNameMapper: {
      '^@slipway/contracts$': path.join(root, 'libs/contracts/src/index.ts'),
      '^@slipway/api-testing$': path.join(root, 'libs/api-testing/src/index.ts'),
      '^@slipway/app-config$': path.join(root, 'libs/app-config/src/index.ts'),
      '^@slipway/k8s-spec$': path.join(root, 'libs/k8s-spec/src/index.ts'),
      '^@slipway/k8s-spec/testing$': path.join(root, 'libs/k8s-spec/src/testing/index.ts'),
      '^@slipway/cli$': path.join(root, 'apps/cli/src/index.ts'),
      '^@slipway/db-schema$': path.join(root, 'libs/db-schema/src/index.ts'),
      '^@slipway/iac$': path.join(root, 'libs/iac/src/index.ts'),
      '^@slipway/cdktf$': path.join(root, 'infra/cdktf/src/index.ts'),
      '^@slipway/source-bundle$': path.join(root, 'libs/source-bundle/src/index.ts'),
      '^@slipway/kube-client$': path.join(root, 'libs/kube-client/src/index.ts'),
      '^@slipway/kube-client/testing$': path.join(root, 'libs/kube-client/src/testing/index.ts'),
      '^@slipway/builder$': path.join(root, 'apps/builder/src/index.ts'),
      '^@slipway/collector$': path.join(root, 'apps/collector/src/index.ts'),
    },
    clearMocks: true,
    // Jest's 5 s default fails a healthy test on a busy 2-core machine; tests that need a
    // tighter bound assert it themselves.
    testTimeout: 30_000,
    ...overrides,
  };
};
