/** The port of the DynamoDB Local jest's global setup starts, for end-to-end runtimes to share (test/support/runtime.ts). */
export const SHARED_DYNAMODB_PORT = 'STORYLINE_TEST_SHARED_DYNAMODB_PORT';
