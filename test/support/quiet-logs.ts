/**
 * Jest setup (every test file): a green run is quiet. The handlers' structured logs (Powertools) are
 * SILENT unless a test captures them to assert on them (test/support/logs.ts), or a person debugging
 * asks for them with STORYLINE_TEST_LOGS=1 (then they print at INFO).
 */
process.env.POWERTOOLS_LOG_LEVEL = process.env.STORYLINE_TEST_LOGS ? 'INFO' : 'SILENT';
