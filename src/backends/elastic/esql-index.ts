/** The `from` clause of ES|QL queries: index patterns from the pipeline state. */
export const DEFAULT_INDEX = '*';
const DEFAULT_METADATA = '_id, _index, _version';

/** The `from` source of a rule: pipeline state `index` (a pattern or a list), else `*`. */
export function esqlIndex(state: Readonly<Record<string, unknown>>): string {
  return preprocessIndices(state['index'] ?? DEFAULT_INDEX);
}

/** One index text from a pattern or (nested) list: `*` wins, duplicates go, several are sorted. */
export function preprocessIndices(index: unknown): string {
  if (typeof index === 'string') return index;
  if (!Array.isArray(index) || index.length === 0) return DEFAULT_INDEX;
  if (index.includes(DEFAULT_INDEX)) return DEFAULT_INDEX;
  const flat = (index as unknown[]).flat(Infinity).map(String);
  if (flat.length === 1) return flat[0] ?? DEFAULT_INDEX;
  return [...new Set(flat)].sort().join(',');
}

export function esqlFrom(index: string, metadata: unknown): string {
  return `from ${index} metadata ${typeof metadata === 'string' ? metadata : DEFAULT_METADATA} | where `;
}
