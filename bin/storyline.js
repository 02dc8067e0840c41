#!/usr/bin/env node
// `npx storyline ...`: runs the TypeScript CLI through tsx, so no build step is needed.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
require('tsx/cjs/api').register();
require('../infra/local/cli.ts');
