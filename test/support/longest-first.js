// jest's test sequencer, with a head start for a fresh clone: the longest files start first, so that the
// workers finish together instead of one of them starting the 20,000-event cold start last. Jest orders
// by the durations it caches from earlier runs; a fresh clone (CI) has none, and jest then goes by file
// size, which says little here (a short file that starts a runtime takes minutes). Its durations come
// from test/support/test-durations.json (seconds per file in a full run; refresh it with
// `node test/support/longest-first.js <jest --json output>`) before jest's cache.
const { readFileSync, writeFileSync } = require('node:fs');
const { join, relative } = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

const DURATIONS = join(__dirname, 'test-durations.json');

class LongestFirst extends Sequencer {
  recorded = JSON.parse(readFileSync(DURATIONS, 'utf8'));

  /** Milliseconds, as jest's cache keeps them. */
  time(test) {
    const seconds = this.recorded[relative(test.context.config.rootDir, test.path)];
    return seconds === undefined ? super.time(test) : seconds * 1000;
  }
}

if (require.main === module) {
  // the per-file seconds of a full run (`jest --json --outputFile=<file>`), rounded, longest first
  const run = JSON.parse(readFileSync(process.argv[2], 'utf8'));
  const root = join(__dirname, '..', '..');
  const seconds = run.testResults.map((file) => [relative(root, file.name), Math.round((file.endTime - file.startTime) / 1000)]).sort((a, b) => b[1] - a[1]);
  writeFileSync(DURATIONS, `${JSON.stringify(Object.fromEntries(seconds), null, 2)}\n`);
}

module.exports = LongestFirst;
