#!/usr/bin/env node
// The bundled CLI (npm run build writes build/cli; see scripts/bundle-cli.mjs), loaded with its V8 code
// cache (src/cli/bundle-loader.ts). The command decides the V8 flags (groupOf), set before anything
// heavy runs. `--version` and `--help` load no command: main() from build/src is 5 small modules,
// where compiling or deserializing the whole bundle would cost ≈ 30 ms more.
import { fileURLToPath } from 'node:url';

const argv = process.argv.slice(2);
if (argv[0] === undefined || ['--version', '-V', '--help', '-h'].includes(argv[0])) {
  const { main } = await import('../build/src/cli/main.js');
  process.exitCode = await main(argv);
} else {
  const { groupOf, loadBundle, setGroupFlags } = await import('../build/cli/load.js');
  const group = groupOf(argv[0]);
  setGroupFlags(group);
  const { bundle } = loadBundle(fileURLToPath(new URL('../build/cli/', import.meta.url)), group);
  process.exitCode = await bundle.main(argv);
}
