/**
 * Browser entry for the converter page: the same conversion code the CLI runs, bundled by esbuild.
 * Nothing reached from here may use node:fs at import time; the bundler stubs node: modules with
 * functions that throw if ever called (docs/adr/0020-esbuild-site-bundle.md).
 */
import { Converter } from '../../backends/convert.js';
import { listTargets } from '../../backends/registry.js';
import { highlight } from '../highlight.js';
import { languageOf } from '../language.js';
import { renderDiagnosticText } from './diagnostic-text.js';

export interface BrowserConversion {
  target: string;
  label: string;
  language: string;
  ok: boolean;
  queries: string[];
  messages: string[];
}

/** Converts one Sigma text for every registered target; never throws on user input. */
export function convertAll(text: string): BrowserConversion[] {
  return listTargets().map((t) => {
    const base = { target: t.name, label: t.name, language: languageOf(t.name) };
    try {
      const c = Converter.create({ target: t.name });
      if (!c.ok)
        return { ...base, ok: false, queries: [], messages: c.diagnostics.map(renderDiagnosticText) };
      const run = c.value.convertText(text, 'rule.yml');
      const diags = [...run.parseDiagnostics, ...run.docs.flatMap((d) => d.diagnostics)];
      const queries = run.docs.flatMap((d) => d.output ?? []);
      const failed = diags.some((d) => d.severity === 'error') || run.docs.length === 0;
      return { ...base, ok: !failed, queries, messages: diags.map(renderDiagnosticText) };
    } catch (e) {
      // A converter bug must not blank the page: show it on the target's tab.
      return { ...base, ok: false, queries: [], messages: [`internal error: ${String(e)}`] };
    }
  });
}

const g = globalThis as Record<string, unknown>;
g['triplineConvert'] = convertAll;
g['triplineHighlight'] = highlight;
