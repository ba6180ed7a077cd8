/** An index of Atomic Red Team tests (atomics/Txxxx/Txxxx.yaml), for GUID resolution and coverage. */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Diagnostic, Result } from '../diagnostics/index.js';
import { fail, ok } from '../diagnostics/index.js';
import type { AtomicTestRef } from '../attack/index.js';
import { asRecord, asString, asStrings } from './yaml-doc.js';

export interface AtomicIndex {
  dir: string;
  tests: AtomicTestRef[];
  byGuid: Map<string, AtomicTestRef>;
}

export function loadAtomicIndex(dir: string): Result<AtomicIndex> {
  if (!existsSync(dir)) {
    return fail({
      code: 'TL8028',
      severity: 'error',
      message: `atomics directory '${dir}' not found`,
      file: dir,
    });
  }
  const diagnostics: Diagnostic[] = [];
  const tests: AtomicTestRef[] = [];
  for (const name of readdirSync(dir).sort()) {
    const file = join(dir, name, `${name}.yaml`);
    if (!/^T\d{4}(?:\.\d{3})?$/.test(name) || !existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    const found = scanAtomics(text, name) ?? parseAtomics(text, name, file, diagnostics);
    tests.push(...found);
  }
  return ok({ dir, tests, byGuid: new Map(tests.map((t) => [t.guid, t])) }, diagnostics);
}

/** The full YAML route: correct for any file, but slow over the ~340 files of a checkout. */
function parseAtomics(text: string, name: string, file: string, diagnostics: Diagnostic[]): AtomicTestRef[] {
  let doc: Record<string, unknown> | undefined;
  try {
    doc = asRecord(parse(text, { maxAliasCount: 100 }));
  } catch (e) {
    diagnostics.push({
      code: 'TL8001',
      severity: 'warning',
      message: (e as Error).message.split('\n')[0] ?? '',
      file,
    });
    return [];
  }
  const technique = asString(doc?.attack_technique) ?? name;
  const out: AtomicTestRef[] = [];
  for (const t of Array.isArray(doc?.atomic_tests) ? (doc.atomic_tests as unknown[]) : []) {
    const r = asRecord(t) ?? {};
    const guid = asString(r.auto_generated_guid);
    if (guid === undefined) continue;
    out.push({
      guid: guid.toLowerCase(),
      technique: technique.toUpperCase(),
      name: asString(r.name) ?? '',
      platforms: asStrings(r.supported_platforms),
    });
  }
  return out;
}

/** A plain or quoted YAML scalar on one line. */
function scalar(raw: string): string | undefined {
  const v = raw.trim();
  if (/^["']/.test(v) || v.includes(' #')) {
    try {
      const x: unknown = parse(v);
      return typeof x === 'string' ? x : undefined;
    } catch {
      return undefined;
    }
  }
  return v;
}

const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Atomic Red Team files are generated in one fixed layout (tests start with `- name:` at column 0, their
 * keys sit at column 2, block scalars are indented deeper), so the fields the index needs can be read
 * line by line, about ten times faster than composing the YAML. Anything unexpected returns undefined
 * and the caller parses the file properly.
 */
export function scanAtomics(text: string, name: string): AtomicTestRef[] | undefined {
  const lines = text.split(/\r?\n/);
  let technique: string | undefined;
  const out: AtomicTestRef[] = [];
  let cur: { name?: string; guid?: string; platforms: string[] } | undefined;
  let inPlatforms = false;
  let guidLines = 0;
  const flush = (): boolean => {
    if (!cur) return true;
    if (cur.name === undefined || cur.guid === undefined || !GUID_RE.test(cur.guid)) return false;
    out.push({
      guid: cur.guid.toLowerCase(),
      technique: (technique ?? name).toUpperCase(),
      name: cur.name,
      platforms: cur.platforms,
    });
    return true;
  };
  for (const line of lines) {
    if (line.startsWith('attack_technique:')) technique = scalar(line.slice('attack_technique:'.length));
    if (line.startsWith('- name:')) {
      if (!flush()) return undefined;
      const n = scalar(line.slice('- name:'.length));
      if (n === undefined) return undefined;
      cur = { name: n, platforms: [] };
      inPlatforms = false;
      continue;
    }
    if (!cur) continue;
    if (line.startsWith('  auto_generated_guid:')) {
      guidLines++;
      const g = scalar(line.slice('  auto_generated_guid:'.length));
      if (g === undefined) return undefined;
      cur.guid = g;
      inPlatforms = false;
    } else if (line.startsWith('  supported_platforms:')) {
      inPlatforms = true;
    } else if (inPlatforms && /^ {2,}- \S/.test(line)) {
      const p = scalar(line.trimStart().slice(2));
      if (p !== undefined) cur.platforms.push(p);
    } else if (/^ {0,2}\S/.test(line)) {
      inPlatforms = false;
    }
  }
  if (!flush()) return undefined;
  // Every GUID line must belong to a test we read; otherwise the layout is not the one assumed.
  if (guidLines !== out.length || (out.length === 0 && text.includes('auto_generated_guid')))
    return undefined;
  return out;
}
