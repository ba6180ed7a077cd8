import type { Diagnostic } from '../../diagnostics/index.js';

/** One line per diagnostic, for the converter page (no terminal colours, no code frame). */
export function renderDiagnosticText(d: Diagnostic): string {
  const at = d.span ? `${d.span.line}:${d.span.column} ` : '';
  return `${d.severity} ${d.code} ${at}${d.message}`;
}
