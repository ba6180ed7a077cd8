import { catalog } from './catalog.js';

const PHASES: [string, string][] = [
  ['1', 'YAML and rule schema'],
  ['2', 'Conditions'],
  ['3', 'Modifiers and values'],
  ['4', 'Processing pipelines'],
  ['5', 'Backends (query conversion)'],
  ['6', 'Evaluation engine'],
  ['7', 'EVTX reader'],
  ['8', 'Content and site'],
  ['9', 'Command line'],
];

/** docs/diagnostics.md, generated from the catalog (a meta-test keeps the file in sync). */
export function diagnosticsMarkdown(): string {
  const out = [
    '# Diagnostic codes',
    '',
    'Every finding Tripline reports has a stable code. Text output looks like',
    "`rules/x.yml(12,7): error TL3001: unknown modifier 'contians'`; `--format json|sarif` gives the same",
    'data for tools. The severity below is the default; `--strict` raises some warnings to errors.',
    '',
    'This file is generated from `src/diagnostics/codes-*.ts` by `npm run docs:diagnostics`.',
  ];
  for (const [digit, title] of PHASES) {
    const codes = Object.entries(catalog)
      .filter(([c]) => c.startsWith(`TL${digit}`))
      .sort(([a], [b]) => a.localeCompare(b));
    if (codes.length === 0) continue;
    out.push('', `## TL${digit}xxx — ${title}`, '', '| code | severity | meaning |', '| --- | --- | --- |');
    for (const [code, info] of codes)
      out.push(`| ${code} | ${info.severity} | ${info.title.replaceAll('|', '\\|')} |`);
  }
  return out.join('\n') + '\n';
}
