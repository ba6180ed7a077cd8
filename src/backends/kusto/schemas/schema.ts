/** Column types and the helper the table data files use. */
export type KustoType =
  'string' | 'long' | 'int' | 'real' | 'bool' | 'datetime' | 'dynamic' | 'guid' | 'timespan';

export type TableSchema = Readonly<Record<string, KustoType>>;

/** Build a schema from column lists grouped by type (most columns are strings). */
export function schema(
  strings: readonly string[],
  typed: Readonly<Record<string, KustoType>> = {},
): TableSchema {
  const out: Record<string, KustoType> = {};
  for (const c of strings) out[c] = 'string';
  for (const [c, t] of Object.entries(typed)) out[c] = t;
  return out;
}
