import type { Command } from '../command.js';
import { buildCommand } from './build.js';
import { checkCommand } from './check.js';
import { convertCommand } from './convert.js';
import { coverageCommand } from './coverage.js';
import { evtxCommand } from './evtx.js';
import { huntCommand } from './hunt.js';
import { newCommand } from './new.js';
import { serveCommand } from './serve.js';
import { testCommand } from './test.js';

/** Every command, in the order `tripline --help` lists them. */
export const commands: readonly Command[] = [
  checkCommand,
  convertCommand,
  huntCommand,
  evtxCommand,
  testCommand,
  coverageCommand,
  buildCommand,
  newCommand,
  serveCommand,
];
