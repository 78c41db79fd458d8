/** Tests run TypeScript through swc (transpile only); `tsc` type-checks separately. */
module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/.build/', '/dist/', '/out/', '/templates/'],
  // cel-js ships only as an ES module, which jest cannot load on Node 20: swc transpiles it too.
  transformIgnorePatterns: ['/node_modules/(?!@marcbachmann/cel-js/)'],
  transform: {
    '^.+\\.m?[tj]s$': ['@swc/jest', {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
    }],
  },
  snapshotResolver: '<rootDir>/test/snapshot-resolver.js',
};
