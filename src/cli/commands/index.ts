import type { Command } from '../command.js';
import { checkCommand } from './check.js';
import { huntCommand } from './hunt.js';

/** Every command, in the order `tripline --help` lists them. */
export const commands: readonly Command[] = [checkCommand, huntCommand];
