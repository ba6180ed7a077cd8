import { compareDiagnostics, hasErrors, renderText, toJson, toSarif } from '../../diagnostics/index.js';
import type { Diagnostic } from '../../diagnostics/index.js';
import { checkFiles } from '../../sigma/index.js';
import { walkFiles } from '../../util/files.js';
import type { Command } from '../command.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, str, write } from '../command.js';
import { VERSION } from '../version.js';

export const checkCommand: Command = {
  name: 'check',
  summary: 'parse and validate Sigma rules, correlations and filters',
  usage: 'check [--format text|json|sarif] [--quiet] PATH…',
  description: [
    'PATH may be files or folders (searched recursively for *.yml and *.yaml). Every finding is a diagnostic',
    'with a stable code (see docs/diagnostics.md), file, line and column. Exit status: 0 no errors,',
    '1 at least one error, 2 usage error.',
  ].join('\n'),
  options: {
    format: { type: 'string', arg: 'FORMAT', description: 'text, json or sarif', default: 'text' },
    quiet: { type: 'boolean', short: 'q', description: 'text format: show errors only, not warnings' },
  },
  examples: [
    'tripline check rules/',
    'tripline check --format json rules/windows/ > findings.json',
    'tripline check --format sarif rules/ > tripline.sarif',
  ],
  run(io, values, positionals) {
    const format = str(values, 'format') ?? 'text';
    if (!['text', 'json', 'sarif'].includes(format)) {
      write(io.stderr, `error TL9004: --format must be text, json or sarif (got '${format}')`);
      return Promise.resolve(EXIT_USAGE);
    }
    if (positionals.length === 0) {
      write(
        io.stderr,
        'error TL9002: give at least one file or folder to check\n\nUsage: tripline check [--format text|json|sarif] PATH…',
      );
      return Promise.resolve(EXIT_USAGE);
    }
    const { files, missing } = walkFiles(positionals, ['.yml', '.yaml']);
    const res = checkFiles(files);
    const diags: Diagnostic[] = [
      ...missing.map((m): Diagnostic => ({
        code: 'TL9003',
        severity: 'error',
        message: 'path not found or unreadable',
        file: m,
      })),
      ...res.diagnostics,
    ].sort(compareDiagnostics);
    if (format === 'json') {
      write(
        io.stdout,
        JSON.stringify({
          files: files.length,
          rules: res.rules,
          correlations: res.correlations,
          filters: res.filters,
          diagnostics: diags.map(toJson),
        }),
      );
    } else if (format === 'sarif') {
      write(io.stdout, JSON.stringify(toSarif(diags, VERSION), null, 2));
    } else {
      const shown = values['quiet'] === true ? diags.filter((d) => d.severity === 'error') : diags;
      if (shown.length > 0) write(io.stdout, renderText(shown, res.sources));
      const errors = diags.filter((d) => d.severity === 'error').length;
      const warnings = diags.filter((d) => d.severity === 'warning').length;
      write(
        io.stderr,
        `checked ${files.length} files: ${res.rules} rules, ${res.correlations} correlations, ${res.filters} filters; ${errors} errors, ${warnings} warnings`,
      );
    }
    return Promise.resolve(hasErrors(diags) ? EXIT_FINDINGS : EXIT_OK);
  },
};
