/** Unit + integration tests (no browser). `npm test`. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['<rootDir>/test/unit/**/*.test.ts', '<rootDir>/test/integration/**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', tsx: true },
          target: 'es2022',
          transform: { react: { runtime: 'automatic', importSource: 'preact' } },
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  // The front ends' shared kit, as aliased in the vite configs and tsconfig `paths`.
  moduleNameMapper: { '^@kit/(.*)$': '<rootDir>/shared/web/$1' },
  testTimeout: 30000,
  // Query shapes for the index guard: recorded per test file, judged by the guard, which runs last.
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  setupFilesAfterEnv: ['<rootDir>/test/setup/query-shapes.setup.ts'],
  testSequencer: '<rootDir>/test/setup/sequencer.js',
};
