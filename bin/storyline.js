#!/usr/bin/env node
// `npx storyline ...`: runs the TypeScript CLI with tsx (as `npm start` runs the runtime), so no build step is needed.
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');

const result = spawnSync(process.execPath, [require.resolve('tsx/cli'), join(__dirname, '..', 'infra', 'local', 'cli.ts'), ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...process.env },
});
if (result.error) {
  console.error(`storyline: ${result.error.message}`);
  process.exit(1);
}
process.exit(result.status ?? 1);
