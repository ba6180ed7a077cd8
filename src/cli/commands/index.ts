import type { Command } from '../command.js';
import { checkCommand } from './check.js';
import { coverageCommand } from './coverage.js';
import { newCommand } from './new.js';

/** Every command, in the order `tripline --help` lists them. */
export const commands: readonly Command[] = [checkCommand, coverageCommand, newCommand];
