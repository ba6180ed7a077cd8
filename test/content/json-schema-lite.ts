/**
 * A small JSON Schema (draft-07) evaluator for the keywords Tripline's generated schemas use, so the
 * tests can check that schema and loader agree without a schema library.
 */
export const KNOWN_KEYWORDS = new Set([
  '$schema',
  '$id',
  'title',
  'description',
  'type',
  'properties',
  'patternProperties',
  'additionalProperties',
  'required',
  'enum',
  'pattern',
  'items',
  'minItems',
  'anyOf',
  'minimum',
  'maximum',
]);

type Schema = Record<string, unknown>;

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** Errors as `path: message`; empty when the value is valid. */
export function validate(schema: Schema, value: unknown, path = '$'): string[] {
  const errs: string[] = [];
  if (schema.type !== undefined) {
    const t = typeOf(value);
    const want = schema.type as string;
    if (!(t === want || (want === 'number' && t === 'integer')))
      return [`${path}: expected ${want}, got ${t}`];
  }
  if (schema.enum && !(schema.enum as unknown[]).includes(value)) errs.push(`${path}: not in enum`);
  if (
    typeof value === 'string' &&
    typeof schema.pattern === 'string' &&
    !new RegExp(schema.pattern, 'u').test(value)
  ) {
    errs.push(`${path}: does not match ${schema.pattern}`);
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) errs.push(`${path}: below minimum`);
    if (typeof schema.maximum === 'number' && value > schema.maximum) errs.push(`${path}: above maximum`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems)
      errs.push(`${path}: too few items`);
    if (schema.items)
      value.forEach((v, i) => errs.push(...validate(schema.items as Schema, v, `${path}[${i}]`)));
  }
  if (typeOf(value) === 'object') {
    const obj = value as Record<string, unknown>;
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    const patterns = Object.entries((schema.patternProperties ?? {}) as Record<string, Schema>);
    for (const r of (schema.required ?? []) as string[]) if (!(r in obj)) errs.push(`${path}: missing ${r}`);
    for (const [k, v] of Object.entries(obj)) {
      let matched = false;
      if (props[k]) {
        matched = true;
        errs.push(...validate(props[k], v, `${path}.${k}`));
      }
      for (const [p, s] of patterns) {
        if (new RegExp(p, 'u').test(k)) {
          matched = true;
          errs.push(...validate(s, v, `${path}.${k}`));
        }
      }
      if (!matched) {
        const ap = schema.additionalProperties;
        if (ap === false) errs.push(`${path}: unexpected key ${k}`);
        else if (ap && typeof ap === 'object') errs.push(...validate(ap as Schema, v, `${path}.${k}`));
      }
    }
  }
  if (schema.anyOf) {
    const branches = (schema.anyOf as Schema[]).map((s) => validate(s, value, path));
    if (!branches.some((b) => b.length === 0)) errs.push(`${path}: matches no anyOf branch`);
  }
  return errs;
}

/** Keywords used anywhere in a schema that the evaluator (and draft-07) does not know. */
export function unknownKeywords(schema: unknown, out: string[] = []): string[] {
  if (schema === null || typeof schema !== 'object') return out;
  for (const [k, v] of Object.entries(schema as Record<string, unknown>)) {
    if (!KNOWN_KEYWORDS.has(k)) out.push(k);
    if (k === 'properties' || k === 'patternProperties') {
      for (const sub of Object.values(v as Record<string, unknown>)) unknownKeywords(sub, out);
    } else if (k === 'items' || k === 'additionalProperties') unknownKeywords(v, out);
    else if (k === 'anyOf') for (const sub of v as unknown[]) unknownKeywords(sub, out);
  }
  return out;
}
