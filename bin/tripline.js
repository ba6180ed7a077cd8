#!/usr/bin/env node
// The bundled CLI (npm run build writes build/cli; see scripts/bundle-cli.mjs).
import { main } from '../build/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
