/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      // Every page is JSX rendered by our own runtime (tsconfig: jsx react-jsx, jsxImportSource
      // @leserpost/html-jsx, which tsconfig `paths` and moduleNameMapper below point at core/html-jsx).
      {
        jsc: {
          target: 'es2022',
          transform: { react: { runtime: 'automatic', importSource: '@leserpost/html-jsx' } },
        },
      },
    ],
  },
  moduleNameMapper: {
    '^@leserpost/html-jsx(/jsx-runtime)?$': '<rootDir>/functions/core/html-jsx/jsx-runtime.ts',
  },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  setupFilesAfterEnv: ['<rootDir>/test/support/drop-tables.ts'],
  // Room for a busy machine: at a load of 16 on two cores a test of ten sequential posts took over
  // 30 s. A timeout here only says how long a hanging test may take to fail, never how fast we are.
  testTimeout: 120_000,
  // Two cores: DynamoDB Local, Chromium and jest share them.
  maxWorkers: 2,
};
