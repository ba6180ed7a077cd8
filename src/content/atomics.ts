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
    let doc: Record<string, unknown> | undefined;
    try {
      doc = asRecord(parse(readFileSync(file, 'utf8'), { maxAliasCount: 100 }));
    } catch (e) {
      diagnostics.push({
        code: 'TL8001',
        severity: 'warning',
        message: (e as Error).message.split('\n')[0] ?? '',
        file,
      });
      continue;
    }
    const technique = asString(doc?.attack_technique) ?? name;
    for (const t of Array.isArray(doc?.atomic_tests) ? (doc.atomic_tests as unknown[]) : []) {
      const r = asRecord(t) ?? {};
      const guid = asString(r.auto_generated_guid);
      if (guid === undefined) continue;
      tests.push({
        guid: guid.toLowerCase(),
        technique: technique.toUpperCase(),
        name: asString(r.name) ?? '',
        platforms: asStrings(r.supported_platforms),
      });
    }
  }
  return ok({ dir, tests, byGuid: new Map(tests.map((t) => [t.guid, t])) }, diagnostics);
}
