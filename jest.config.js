/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }],
    // jose ships ES modules only: jest runs CommonJS, so they are transformed like our own code
    '/node_modules/jose/.+\\.js$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  setupFiles: ['<rootDir>/test/support/quiet-logs.ts', '<rootDir>/test/support/worker-dynamodb.ts'],
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  // generous: on 2 cores, a file shares the machine with the other worker's 5,000- and 20,000-event tests, which slow it for minutes
  testTimeout: 600000,
  // three workers on 2 cores, each with a DynamoDB Local of its own (test/support/global-setup.ts): a file waits on its
  // DynamoDB Local, its runtime's stream runner, a browser; a third worker fills those waits (a full run in 405 s, 585 s with two)
  maxWorkers: 3,
  // the longest files first (their durations in a full run are committed beside it), so that the workers finish together
  testSequencer: '<rootDir>/test/support/longest-first.js',
};
