import { resolve } from 'node:path';
import { renderText } from '../../diagnostics/index.js';
import type { Diagnostic } from '../../diagnostics/index.js';
import { engineEvaluator, loadAtomicIndex, loadContent, runDetectionTests } from '../../content/index.js';
import type { LoadOptions, TestVerdict } from '../../content/index.js';
import type { Command } from '../command.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, str, write } from '../command.js';

export const testCommand: Command = {
  name: 'test',
  usage: 'test [CONTENT_DIR] [--format text|json] [--atomics ART_ATOMICS_DIR]',
  description: [
    'Loads the detection library in CONTENT_DIR (default: content/), evaluates each test of each detection',
    'with the evaluation engine, and compares the hits with the expected match count and enrichment flags.',
    'Prints pass/fail per test with the reason (which event, which flag) and a summary. With --atomics, the',
    'Atomic Red Team GUIDs each detection names are resolved against that checkout; unknown GUIDs fail.',
    'Exit status: 0 all tests pass, 1 a test fails or the content has errors, 2 usage error.',
  ].join('\n'),
  options: {
    format: { type: 'string', arg: 'FORMAT', description: 'text or json', default: 'text' },
    atomics: {
      type: 'string',
      arg: 'DIR',
      description: 'an Atomic Red Team atomics/ folder to resolve GUIDs in',
    },
  },
  examples: [
    'tripline test',
    'tripline test content/ --atomics ../atomic-red-team/atomics',
    'tripline test --format json content/ > results.json',
  ],
  run(io, values, positionals) {
    const format = str(values, 'format') ?? 'text';
    if (format !== 'text' && format !== 'json') {
      write(io.stderr, `error TL9004: --format must be text or json (got '${format}')`);
      return Promise.resolve(EXIT_USAGE);
    }
    if (positionals.length > 1) {
      write(io.stderr, 'error TL9002: give one content folder');
      return Promise.resolve(EXIT_USAGE);
    }
    const dir = resolve(io.cwd, positionals[0] ?? 'content');
    const diagnostics: Diagnostic[] = [];
    const opts: LoadOptions = {};
    const atomicsDir = str(values, 'atomics');
    if (atomicsDir !== undefined) {
      const idx = loadAtomicIndex(resolve(io.cwd, atomicsDir));
      diagnostics.push(...idx.diagnostics);
      if (!idx.ok) {
        write(io.stderr, renderText(idx.diagnostics));
        return Promise.resolve(EXIT_USAGE);
      }
      opts.atomics = idx.value;
    }
    const loaded = loadContent(dir, opts);
    diagnostics.push(...loaded.diagnostics);
    const loadErrors = diagnostics.filter((d) => d.severity === 'error');
    if (!loaded.ok) {
      write(io.stderr, renderText(loaded.diagnostics));
      return Promise.resolve(EXIT_FINDINGS);
    }
    const verdicts = runDetectionTests(loaded.value.detections, engineEvaluator());
    const failed = verdicts.filter((v) => !v.pass);
    if (format === 'json') {
      write(
        io.stdout,
        JSON.stringify({
          content: dir,
          detections: loaded.value.detections.length,
          tests: verdicts.length,
          passed: verdicts.length - failed.length,
          failed: failed.length,
          results: verdicts.map((v) => ({
            ...v,
            diagnostics: v.diagnostics.map((d) => ({ code: d.code, message: d.message })),
          })),
          diagnostics: diagnostics.map((d) => ({
            code: d.code,
            severity: d.severity,
            message: d.message,
            file: d.file ?? null,
            line: d.span?.line ?? null,
          })),
        }),
      );
    } else {
      if (loadErrors.length > 0) write(io.stderr, renderText(loadErrors, loaded.value.sources));
      write(io.stdout, verdicts.map(verdictLine).join('\n'));
      write(
        io.stdout,
        `\n${verdicts.length} tests in ${loaded.value.detections.length} detections: ${verdicts.length - failed.length} passed, ${failed.length} failed`,
      );
    }
    return Promise.resolve(failed.length > 0 || loadErrors.length > 0 ? EXIT_FINDINGS : EXIT_OK);
  },
};

function verdictLine(v: TestVerdict): string {
  const head = `${v.pass ? 'PASS' : 'FAIL'} ${v.detection} ${v.kind} '${v.test}' (${v.actualMatches}/${v.expectedMatches} matches)`;
  if (v.pass) return head;
  const reasons = v.failures.map((f) => `    - ${f.message}`);
  const diags = v.diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => `    - ${d.code}: ${d.message}`);
  return [head, ...reasons, ...diags].join('\n');
}
