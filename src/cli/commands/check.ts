import type { Command } from '../command.js';
import { EXIT_OK, write } from '../command.js';

export const checkCommand: Command = {
  name: 'check',
  summary: 'parse and validate Sigma rules, correlations and filters',
  usage: 'check [--format text|json|sarif] PATH…',
  description: 'PATH may be files or folders (searched recursively for *.yml and *.yaml).',
  options: {
    format: { type: 'string', arg: 'FORMAT', description: 'text, json or sarif', default: 'text' },
  },
  examples: ['tripline check rules/', 'tripline check --format json rules/windows/'],
  run(io) {
    write(io.stderr, 'check: not implemented yet');
    return Promise.resolve(EXIT_OK);
  },
};
