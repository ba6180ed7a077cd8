/** YAML reading shared by the content loaders: documents with positions, and lookups by path. */
import type { Document, Node } from 'yaml';
import { LineCounter, isMap, isScalar, isSeq, parseAllDocuments } from 'yaml';
import type { Diagnostic, YamlPath } from '../diagnostics/index.js';
import { catalog } from '../diagnostics/index.js';
import type { ValidationContext } from './schema-dsl.js';
import { spanOf } from './schema-dsl.js';

export interface YamlFile {
  file: string;
  docs: Document.Parsed[];
  lineCounter: LineCounter;
}

/** Parse every document; YAML errors become TL8001 with positions. Empty documents are dropped. */
export function readYaml(text: string, file: string, diagnostics: Diagnostic[]): YamlFile | undefined {
  const lineCounter = new LineCounter();
  const all = parseAllDocuments(text, { lineCounter, uniqueKeys: true });
  const docs = Array.isArray(all) ? all : [];
  let bad = false;
  for (const d of docs) {
    for (const e of d.errors) {
      bad = true;
      const pos = e.linePos?.[0];
      diagnostics.push({
        code: 'TL8001',
        severity: catalog.TL8001.severity,
        message: e.message.split('\n')[0] ?? e.message,
        file,
        span: pos ? { line: pos.line, column: pos.col } : { line: 1, column: 1 },
      });
    }
  }
  if (bad) return undefined;
  return { file, docs: docs.filter((d) => d.contents !== null), lineCounter };
}

/** The node at a path of keys and indexes, if present. */
export function nodeAt(root: Node | null | undefined, path: YamlPath): Node | undefined {
  let cur: unknown = root;
  for (const p of path) {
    if (typeof p === 'number') {
      if (!isSeq(cur)) return undefined;
      cur = cur.items[p];
    } else {
      if (!isMap(cur)) return undefined;
      const pair = cur.items.find((it) => isScalar(it.key) && it.key.value === p);
      cur = pair?.value;
    }
  }
  return (cur ?? undefined) as Node | undefined;
}

/** The key node of the last path element (points diagnostics at `key:` rather than its value). */
export function keyNodeAt(root: Node | null | undefined, path: YamlPath): Node | undefined {
  const parent = nodeAt(root, path.slice(0, -1));
  const last = path[path.length - 1];
  if (!isMap(parent) || typeof last !== 'string') return nodeAt(root, path);
  const pair = parent.items.find((it) => isScalar(it.key) && it.key.value === last);
  return (pair?.key ?? undefined) as Node | undefined;
}

export function ctxFor(y: YamlFile, diagnostics: Diagnostic[]): ValidationContext {
  return { file: y.file, lineCounter: y.lineCounter, diagnostics };
}

export function spanAt(
  y: YamlFile,
  root: Node | null | undefined,
  path: YamlPath,
): ReturnType<typeof spanOf> {
  return spanOf(nodeAt(root, path) ?? root, y.lineCounter);
}

export const asString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const asStrings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];
export const asRecord = (v: unknown): Record<string, unknown> | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

/** The `x_…` keys of a mapping. */
export function customKeys(v: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v ?? {})) if (k.startsWith('x_')) out[k] = x;
  return out;
}
