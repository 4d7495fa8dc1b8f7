/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      // The desk's pages are JSX rendered with preact (tsconfig: jsx react-jsx, jsxImportSource preact).
      // The public pages name their own runtime per file (`@jsxImportSource ./html-jsx`), which swc honours.
      { jsc: { target: 'es2022', transform: { react: { runtime: 'automatic', importSource: 'preact' } } } },
    ],
  },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 30_000,
  // Two cores: DynamoDB Local, Chromium and jest share them.
  maxWorkers: 2,
};
