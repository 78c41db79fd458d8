/** Tests run TypeScript through swc (transpile only); `tsc` type-checks separately. */
module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/.build/', '/dist/'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
    }],
  },
  snapshotResolver: '<rootDir>/test/snapshot-resolver.js',
};
