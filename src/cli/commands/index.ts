import type { Command } from '../command.js';
import { checkCommand } from './check.js';
import { convertCommand } from './convert.js';
import { evtxCommand } from './evtx.js';

/** Every command, in the order `tripline --help` lists them. */
export const commands: readonly Command[] = [checkCommand, convertCommand, evtxCommand];
