import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ATTACK_SOURCE, computeCoverage, toNavigatorLayer } from '../../attack/index.js';
import type { CoverageReport } from '../../attack/index.js';
import { hasErrors, renderText, toJson } from '../../diagnostics/index.js';
import type { Diagnostic } from '../../diagnostics/index.js';
import { loadAtomicIndex, loadContent } from '../../content/index.js';
import type { AtomicIndex } from '../../content/index.js';
import type { Command } from '../command.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, str, write } from '../command.js';

export const coverageCommand: Command = {
  name: 'coverage',
  usage: 'coverage [CONTENT_DIR] [--atomics DIR] [--navigator OUT.json] [--format text|json]',
  description: [
    'Loads the detection library in CONTENT_DIR (default: ./content) and reports which ATT&CK tactics and',
    'techniques its detections cover, judged by their attack.* tags against the pinned ATT&CK Enterprise',
    'table. With --atomics (an Atomic Red Team atomics/ folder) it also lists atomic tests that have a',
    'detection (linked by GUID, or covering their technique) and those that have none; GUIDs named by',
    'detections but absent from the folder are errors. --navigator writes an ATT&CK Navigator layer',
    '(format 4.5) scored by the number of detections per technique.',
    'Exit status: 0 ok, 1 the content has errors, 2 usage error.',
  ].join('\n'),
  options: {
    atomics: {
      type: 'string',
      arg: 'DIR',
      description: 'Atomic Red Team atomics/ folder to resolve tests against',
    },
    navigator: {
      type: 'string',
      arg: 'OUT.json',
      description: 'write an ATT&CK Navigator layer (v4.5) to this file',
    },
    format: { type: 'string', arg: 'FORMAT', description: 'text or json', default: 'text' },
  },
  examples: [
    'tripline coverage content/',
    'tripline coverage content/ --atomics ../atomic-red-team/atomics',
    'tripline coverage --navigator layer.json --format json > coverage.json',
  ],
  run(io, values, positionals) {
    const format = str(values, 'format') ?? 'text';
    if (format !== 'text' && format !== 'json') {
      write(io.stderr, `error TL9004: --format must be text or json (got '${format}')`);
      return Promise.resolve(EXIT_USAGE);
    }
    if (positionals.length > 1) {
      write(
        io.stderr,
        `error TL9002: expected one content folder, got ${positionals.length}\n\nUsage: tripline ${this.usage}`,
      );
      return Promise.resolve(EXIT_USAGE);
    }
    const dir = resolve(io.cwd, positionals[0] ?? 'content');
    const diagnostics: Diagnostic[] = [];
    let atomics: AtomicIndex | undefined;
    const atomicsDir = str(values, 'atomics');
    if (atomicsDir !== undefined) {
      const a = loadAtomicIndex(resolve(io.cwd, atomicsDir));
      diagnostics.push(...a.diagnostics);
      if (!a.ok) {
        write(io.stderr, renderText(a.diagnostics));
        return Promise.resolve(EXIT_USAGE);
      }
      atomics = a.value;
    }
    const loaded = loadContent(dir, atomics ? { atomics } : {});
    diagnostics.push(...loaded.diagnostics);
    if (!loaded.ok) {
      write(io.stderr, renderText(loaded.diagnostics));
      return Promise.resolve(EXIT_FINDINGS);
    }
    const set = loaded.value;
    const report = computeCoverage(
      set.detections.map((d) => ({
        id: d.id,
        title: d.title,
        tags: d.tags,
        atomics: d.tripline.atomics.map((a) => a.guid),
      })),
      atomics?.tests,
    );
    const navigator = str(values, 'navigator');
    if (navigator !== undefined) {
      const out = resolve(io.cwd, navigator);
      try {
        writeFileSync(out, JSON.stringify(toNavigatorLayer(report), null, 2) + '\n');
      } catch (e) {
        write(io.stderr, `error TL9003: cannot write ${navigator}: ${(e as Error).message}`);
        return Promise.resolve(EXIT_FINDINGS);
      }
    }
    const errors = diagnostics.filter((d) => d.severity === 'error');
    if (format === 'json') {
      write(io.stdout, JSON.stringify(toJsonReport(report, diagnostics), null, 2));
    } else {
      if (errors.length > 0) write(io.stderr, renderText(errors, set.sources));
      write(io.stdout, renderReport(report, atomics?.dir));
      if (navigator !== undefined) write(io.stderr, `Navigator layer written to ${navigator}`);
    }
    return Promise.resolve(hasErrors(diagnostics) ? EXIT_FINDINGS : EXIT_OK);
  },
};

function pct(a: number, b: number): string {
  return b === 0 ? '  -' : `${Math.round((100 * a) / b)}%`.padStart(4);
}

export function renderReport(r: CoverageReport, atomicsDir?: string): string {
  const lines: string[] = [];
  lines.push(
    `ATT&CK coverage: ${r.totals.detections} detections cover ${r.totals.techniquesCovered} of ` +
      `${r.totals.techniquesTotal} techniques and sub-techniques ` +
      `(ATT&CK Enterprise, spec ${ATTACK_SOURCE.specVersion}, modified ${ATTACK_SOURCE.lastModified.slice(0, 10)})`,
  );
  lines.push('');
  const width = Math.max(...r.tactics.map((t) => t.tactic.name.length));
  for (const t of r.tactics) {
    lines.push(
      `${t.tactic.name.padEnd(width)}  ${String(t.techniques.length).padStart(3)} / ${String(t.total).padEnd(3)} ${pct(t.techniques.length, t.total)}`,
    );
    for (const e of t.techniques) {
      lines.push(`    ${e.technique.id.padEnd(10)} ${e.technique.name} (${e.detections.length})`);
    }
  }
  if (r.unmapped.length > 0) {
    lines.push(
      '',
      `Detections without an ATT&CK technique tag: ${r.unmapped.map((d) => d.title).join('; ')}`,
    );
  }
  if (r.atomics) {
    const a = r.atomics;
    const linked = a.withDetection.filter((x) => x.via === 'link').length;
    lines.push('');
    lines.push(`Atomic Red Team tests${atomicsDir !== undefined ? ` in ${atomicsDir}` : ''}:`);
    lines.push(
      `  with a detection:    ${a.withDetection.length} (${linked} linked by GUID, ${a.withDetection.length - linked} by technique)`,
    );
    lines.push(`  without a detection: ${a.withoutDetection.length}`);
    const gaps = new Map<string, number>();
    for (const t of a.withoutDetection) gaps.set(t.technique, (gaps.get(t.technique) ?? 0) + 1);
    const top = [...gaps.entries()].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0])).slice(0, 10);
    if (top.length > 0)
      lines.push(
        `  most-tested techniques without a detection: ${top.map(([t, n]) => `${t} (${n})`).join(', ')}`,
      );
    for (const u of a.unknownLinks) lines.push(`  unknown atomic GUID ${u.guid} in '${u.detection.title}'`);
  }
  return lines.join('\n');
}

function toJsonReport(r: CoverageReport, diagnostics: readonly Diagnostic[]): object {
  return {
    attack: ATTACK_SOURCE,
    totals: r.totals,
    tactics: r.tactics.map((t) => ({
      id: t.tactic.id,
      shortname: t.tactic.shortname,
      name: t.tactic.name,
      covered: t.techniques.length,
      total: t.total,
      techniques: t.techniques.map((e) => e.technique.id),
    })),
    techniques: r.techniques.map((e) => ({
      id: e.technique.id,
      name: e.technique.name,
      tactics: e.tactics,
      detections: e.detections,
      atomics: e.atomics.map((a) => a.guid),
    })),
    unmapped: r.unmapped,
    unknownTechniques: r.unknownTechniques,
    ...(r.atomics
      ? {
          atomics: {
            withDetection: r.atomics.withDetection.map((x) => ({
              guid: x.atomic.guid,
              technique: x.atomic.technique,
              name: x.atomic.name,
              via: x.via,
              detections: x.detections.map((d) => d.id),
            })),
            withoutDetection: r.atomics.withoutDetection,
            unknownLinks: r.atomics.unknownLinks,
          },
        }
      : {}),
    diagnostics: diagnostics.map(toJson),
  };
}
