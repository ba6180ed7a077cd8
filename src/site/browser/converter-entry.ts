/**
 * Browser entry for the converter page: the same conversion code the CLI runs, bundled by esbuild.
 * Nothing here may reach node:fs at import time (see docs/adr/*esbuild*).
 */
import { Converter } from '../../backends/convert.js';
import { listTargets } from '../../backends/registry.js';
import { renderDiagnosticText } from './diagnostic-text.js';

export interface BrowserConversion {
  target: string;
  ok: boolean;
  queries: string[];
  messages: string[];
}

/** Converts one Sigma text for every registered target; never throws on user input. */
export function convertAll(text: string): BrowserConversion[] {
  return listTargets().map((t) => {
    const c = Converter.create({ target: t.name });
    if (!c.ok) return { target: t.name, ok: false, queries: [], messages: c.diagnostics.map(renderDiagnosticText) };
    const run = c.value.convertText(text, 'rule.yml');
    const diags = [...run.parseDiagnostics, ...run.docs.flatMap((d) => d.diagnostics)];
    const queries = run.docs.flatMap((d) => d.output ?? []);
    const failed = diags.some((d) => d.severity === 'error') || run.docs.length === 0;
    return { target: t.name, ok: !failed, queries, messages: diags.map(renderDiagnosticText) };
  });
}

(globalThis as Record<string, unknown>)['triplineConvert'] = convertAll;
