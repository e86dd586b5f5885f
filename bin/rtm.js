#!/usr/bin/env node
// The `rtm` command (package.json "bin"): runs the compiled CLI in dist/ (npm run build makes it).
import { fileURLToPath } from 'node:url';

// Ctrl-C exits with status 130 (clearing a progress line), also while the CLI is still being loaded. This
// one listener stays for the whole run: a listener removed and re-added can lose a signal caught meanwhile.
process.on('SIGINT', () => {
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  process.exit(130);
});

const entry = new URL('../dist/src/cli/main.js', import.meta.url);
let cli;
try {
  cli = await import(entry.href);
} catch (err) {
  if (err?.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes(fileURLToPath(entry))) {
    process.stderr.write(`rtm: ${fileURLToPath(entry)} not found: run 'npm run build' first\n`);
    process.exit(3);
  }
  throw err;
}
await cli.run(process.argv.slice(2));
