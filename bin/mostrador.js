#!/usr/bin/env node
// The `mostrador` command (runbook operations on a data folder). The CLI itself is compiled TypeScript in dist/.
import fs from 'node:fs';

const cli = new URL('../dist/node/cli/main.js', import.meta.url);
if (!fs.existsSync(cli)) {
  process.stderr.write('The mostrador command is not built yet: run npm run build first.\n');
  process.exit(1);
}
const { cliMain } = await import(cli.href);
cliMain(process.argv.slice(2));
