/**
 * YAML reading shared by the content loaders. It uses the Sigma front end's reader (a fast path for
 * Sigma-shaped files with a full-parser fallback, and the guards against hostile input), so a detection
 * file is tokenised the same way for its Sigma part and its `tripline:` block.
 */
import type { Diagnostic, Span, YamlPath } from '../diagnostics/index.js';
import { readYaml, toPlain } from '../sigma/yaml-reader.js';
import type { YamlDoc, YEntry, YNode } from '../sigma/yaml-reader.js';

export type { YNode, YEntry };

export interface YamlFile {
  file: string;
  /** Non-empty documents, in order. */
  docs: { root: YNode; data: unknown }[];
}

/**
 * Parse every document. YAML errors are reported (Sigma's TL1xxx codes) unless `quiet`, for files whose
 * Sigma parse already reported them. Undefined when the text is not valid YAML.
 */
export function readContentYaml(
  text: string,
  file: string,
  diagnostics: Diagnostic[],
  quiet = false,
): YamlFile | undefined {
  const r = readYaml(text, file);
  if (!quiet) diagnostics.push(...r.diagnostics.map((d) => ({ ...d, file })));
  if (r.diagnostics.some((d) => d.severity === 'error')) return undefined;
  const docs = r.docs
    .filter((d): d is YamlDoc & { root: YNode } => d.root !== undefined)
    .filter((d) => !(d.root.kind === 'scalar' && d.root.value === null))
    .map((d) => ({ root: d.root, data: toPlain(d.root) }));
  return { file, docs };
}

export function entryOf(node: YNode | undefined, key: string): YEntry | undefined {
  return node?.kind === 'map' ? node.entries.find((e) => e.key === key) : undefined;
}

/** The node at a path of keys and indexes, if present. */
export function nodeAt(root: YNode | undefined, path: YamlPath): YNode | undefined {
  let cur = root;
  for (const p of path) {
    if (cur === undefined) return undefined;
    if (typeof p === 'number') cur = cur.kind === 'seq' ? cur.items[p] : undefined;
    else cur = entryOf(cur, p)?.value;
  }
  return cur;
}

/** Span of the key of the last path element (diagnostics point at `key:` rather than its value). */
export function keySpanAt(root: YNode | undefined, path: YamlPath): Span | undefined {
  const last = path[path.length - 1];
  if (typeof last !== 'string') return nodeAt(root, path)?.span;
  return entryOf(nodeAt(root, path.slice(0, -1)), last)?.keySpan;
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
