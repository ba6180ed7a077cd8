import type { DiagnosticCode } from './catalog.js';

export type Severity = 'error' | 'warning' | 'info';

/** 1-based line and column of a position in a source text. */
export interface Span {
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

/** A path into a YAML document: keys and list indexes, e.g. ['detection', 'selection', 'Image|endswith']. */
export type YamlPath = readonly (string | number)[];

export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  file?: string;
  span?: Span;
  path?: YamlPath;
  /** Byte offset, for binary inputs (EVTX). */
  offset?: number;
}

export type Result<T> =
  { ok: true; value: T; diagnostics: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] };

export function ok<T>(value: T, diagnostics: Diagnostic[] = []): Result<T> {
  return { ok: true, value, diagnostics };
}

export function fail<T = never>(diagnostics: Diagnostic[] | Diagnostic): Result<T> {
  return { ok: false, diagnostics: Array.isArray(diagnostics) ? diagnostics : [diagnostics] };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Sort by file, then position, then code — the order users read them in. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    (a.file ?? '').localeCompare(b.file ?? '') ||
    (a.span?.line ?? 0) - (b.span?.line ?? 0) ||
    (a.span?.column ?? 0) - (b.span?.column ?? 0) ||
    (a.offset ?? 0) - (b.offset ?? 0) ||
    a.code.localeCompare(b.code)
  );
}
