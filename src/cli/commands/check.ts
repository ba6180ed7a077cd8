import { compareDiagnostics, hasErrors, renderText, toJson, toSarif } from '../../diagnostics/index.js';
import type { Diagnostic } from '../../diagnostics/index.js';
import { checkFiles } from '../../sigma/index.js';
import { checkConvertibility, loadContent } from '../../content/index.js';
import { existsSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { walkFiles } from '../../util/files.js';
import type { Command } from '../command.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, str, write } from '../command.js';
import { VERSION } from '../version.js';

export const checkCommand: Command = {
  name: 'check',
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
    // A content folder (with detections/) is checked as a library: its loader runs the Sigma checks on
    // detection files plus references, ATT&CK, tests, and conversion to every target.
    const contentRoots = positionals.filter((p) => isContentRoot(p));
    const contentDiags: Diagnostic[] = [];
    const sources = new Map<string, string>();
    let contentDetections = 0;
    for (const root of contentRoots) {
      const loaded = loadContent(root);
      contentDiags.push(...loaded.diagnostics);
      if (loaded.ok) {
        contentDetections += loaded.value.detections.length;
        for (const [k, v] of loaded.value.sources) sources.set(k, v);
        contentDiags.push(...checkConvertibility(loaded.value).diagnostics);
      }
    }
    const { files: allFiles, missing } = walkFiles(positionals, ['.yml', '.yaml']);
    // Files of a content folder are checked by its loader (stories and data sources are not Sigma).
    const files = allFiles.filter((f) => !contentRoots.some((r) => resolve(f).startsWith(resolve(r) + sep)));
    const res = checkFiles(files);
    for (const [k, v] of res.sources) sources.set(k, v);
    const diags: Diagnostic[] = [
      ...missing.map((m): Diagnostic => ({
        code: 'TL9003',
        severity: 'error',
        message: 'path not found or unreadable',
        file: m,
      })),
      ...res.diagnostics,
      ...contentDiags,
    ].sort(compareDiagnostics);
    if (format === 'json') {
      write(
        io.stdout,
        JSON.stringify({
          files: allFiles.length,
          rules: res.rules + contentDetections,
          correlations: res.correlations,
          filters: res.filters,
          diagnostics: diags.map(toJson),
        }),
      );
    } else if (format === 'sarif') {
      write(io.stdout, JSON.stringify(toSarif(diags, VERSION), null, 2));
    } else {
      const shown = values['quiet'] === true ? diags.filter((d) => d.severity === 'error') : diags;
      if (shown.length > 0) write(io.stdout, renderText(shown, sources));
      const errors = diags.filter((d) => d.severity === 'error').length;
      const warnings = diags.filter((d) => d.severity === 'warning').length;
      write(
        io.stderr,
        `checked ${allFiles.length} files: ${res.rules} rules, ${res.correlations} correlations, ${res.filters} filters` +
          (contentRoots.length > 0 ? `, ${contentDetections} detections` : '') +
          `; ${errors} errors, ${warnings} warnings`,
      );
    }
    return Promise.resolve(hasErrors(diags) ? EXIT_FINDINGS : EXIT_OK);
  },
};

function isContentRoot(p: string): boolean {
  try {
    return statSync(p).isDirectory() && existsSync(join(p, 'detections'));
  } catch {
    return false;
  }
}
