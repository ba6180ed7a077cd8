import type { CommandEntry } from '../command.js';

/**
 * Every command, in the order `tripline --help` lists them. Each command's module is imported only
 * when that command runs: loading every layer (engine, EVTX reader, site, HTTP server…) for a
 * `convert` costs more start-up time than converting a folder of rules.
 */
export const commands: readonly CommandEntry[] = [
  {
    name: 'check',
    summary: 'parse and validate Sigma rules, correlations and filters',
    load: async () => (await import('./check.js')).checkCommand,
  },
  {
    name: 'convert',
    summary:
      'convert Sigma rules into SIEM queries (Splunk, KQL, Elastic, QRadar, Sumo Logic, YARA-L, LogScale)',
    load: async () => (await import('./convert.js')).convertCommand,
  },
  {
    name: 'hunt',
    summary: 'run Sigma rules over event logs (.jsonl, .json, .evtx, .gz) and print the hits',
    load: async () => (await import('./hunt.js')).huntCommand,
  },
  {
    name: 'evtx',
    summary: 'read Windows event logs (.evtx): dump records as JSON Lines',
    load: async () => (await import('./evtx.js')).evtxCommand,
  },
  {
    name: 'test',
    summary: 'run every detection test (positive and negative sample events) through the engine',
    load: async () => (await import('./test.js')).testCommand,
  },
  {
    name: 'coverage',
    summary: 'ATT&CK coverage of a detection library, atomics with and without a detection, Navigator layer',
    load: async () => (await import('./coverage.js')).coverageCommand,
  },
  {
    name: 'build',
    summary: 'build deployable packages for every SIEM, ATT&CK layers, the catalogue and the website',
    load: async () => (await import('./build.js')).buildCommand,
  },
  {
    name: 'new',
    summary: 'scaffold a detection from an ATT&CK technique',
    load: async () => (await import('./new.js')).newCommand,
  },
  {
    name: 'serve',
    summary: 'preview the built detection-library website on localhost',
    load: async () => (await import('./serve.js')).serveCommand,
  },
];
