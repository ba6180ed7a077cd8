import { catalog } from './catalog.js';
import type { Diagnostic } from './diagnostic.js';

/** `rules/x.yml(12,7): error TL3001: unknown modifier 'contians'` */
export function formatDiagnostic(d: Diagnostic): string {
  let where = d.file ?? '<input>';
  if (d.span) where += `(${d.span.line},${d.span.column})`;
  else if (d.offset !== undefined) where += `(offset 0x${d.offset.toString(16)})`;
  return `${where}: ${d.severity} ${d.code}: ${d.message}`;
}

/** The source line under a diagnostic, with a caret at its column. */
export function codeFrame(source: string, d: Diagnostic): string | undefined {
  if (!d.span) return undefined;
  const lines = source.split(/\r?\n/);
  const text = lines[d.span.line - 1];
  if (text === undefined) return undefined;
  const gutter = String(d.span.line).padStart(5);
  const width =
    d.span.endLine === d.span.line && d.span.endColumn !== undefined
      ? Math.max(1, d.span.endColumn - d.span.column)
      : 1;
  const shown = text.length > 200 ? text.slice(0, 200) + '…' : text;
  return `${gutter} | ${shown}\n${' '.repeat(gutter.length)} | ${' '.repeat(Math.max(0, d.span.column - 1))}${'^'.repeat(Math.min(width, 120))}`;
}

export function renderText(
  diagnostics: readonly Diagnostic[],
  sources?: ReadonlyMap<string, string>,
): string {
  const out: string[] = [];
  for (const d of diagnostics) {
    out.push(formatDiagnostic(d));
    const src = d.file !== undefined ? sources?.get(d.file) : undefined;
    const frame = src !== undefined ? codeFrame(src, d) : undefined;
    if (frame) out.push(frame);
  }
  return out.join('\n');
}

export interface JsonDiagnostic {
  code: string;
  severity: string;
  message: string;
  file: string | null;
  line: number | null;
  column: number | null;
  path: string | null;
  offset?: number;
}

export function toJson(d: Diagnostic): JsonDiagnostic {
  const j: JsonDiagnostic = {
    code: d.code,
    severity: d.severity,
    message: d.message,
    file: d.file ?? null,
    line: d.span?.line ?? null,
    column: d.span?.column ?? null,
    path: d.path ? formatPath(d.path) : null,
  };
  if (d.offset !== undefined) j.offset = d.offset;
  return j;
}

export function formatPath(path: readonly (string | number)[]): string {
  return path
    .map((p) => (typeof p === 'number' ? `[${p}]` : p))
    .join('.')
    .replaceAll('.[', '[');
}

/** SARIF 2.1.0 log with one run. */
export function toSarif(diagnostics: readonly Diagnostic[], toolVersion: string): object {
  const codes = [...new Set(diagnostics.map((d) => d.code))].sort();
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'tripline',
            version: toolVersion,
            informationUri: 'https://github.com/tripline/tripline',
            rules: codes.map((c) => ({ id: c, shortDescription: { text: catalog[c].title } })),
          },
        },
        results: diagnostics.map((d) => ({
          ruleId: d.code,
          level: d.severity === 'info' ? 'note' : d.severity,
          message: { text: d.message },
          locations: d.file
            ? [
                {
                  physicalLocation: {
                    artifactLocation: { uri: d.file.replaceAll('\\', '/') },
                    ...(d.span ? { region: { startLine: d.span.line, startColumn: d.span.column } } : {}),
                  },
                },
              ]
            : [],
        })),
      },
    ],
  };
}
