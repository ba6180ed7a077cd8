#!/usr/bin/env node
// The bundled CLI (npm run build writes build/cli; see scripts/bundle-cli.mjs).
import { setFlagsFromString } from 'node:v8';

// convert and check run each function over a few thousand small inputs once, in a fresh process: V8's
// optimizing compiler spends more time inlining than the inlined code saves there (SigmaHQ corpus,
// convert -t splunk: 1.65 → 1.27 s user CPU, check: 1.46 → 1.17 s; same output). Long runs (hunt,
// evtx, build) keep inlining: their hot loops live long enough to pay it back.
if (process.argv[2] === 'convert' || process.argv[2] === 'check') setFlagsFromString('--no-turbo-inlining');

const { main } = await import('../build/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
