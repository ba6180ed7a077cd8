/**
 * Value transformations (pySigma sigma/processing/transformations/values.py and placeholder.py): they
 * see each value of the detection items their conditions select and return replacement values.
 */
import type { IrValue, StrPart } from '../ir/types.js';
import { envError } from './env.js';
import type { ParamReader } from './params.js';
import { compilePyRegex, pyEscape, pySub, type PyRegex } from './py-regex.js';
import {
  expandPlaceholders,
  hasPlaceholder,
  insertPlaceholders,
  mergeParts,
  parseSigmaString,
  pyNumberText,
  strToPlain,
  type StrValue,
} from './sigma-string.js';
import { defineTransformation as def, type TransformationDef } from './transformation-def.js';

function regexParam(r: ParamReader, key: string): PyRegex | undefined {
  const src = r.str(key);
  const rx = compilePyRegex(src);
  if (typeof rx === 'string') {
    r.error(`invalid regular expression '${src}': ${rx}`, key);
    return undefined;
  }
  return rx;
}

export function str(parts: StrPart[], cased: boolean): StrValue {
  return { kind: 'Str', parts: mergeParts(parts), cased };
}

// --------------------------------------------------------------------------------------------- values

interface ReplaceParams {
  re: PyRegex | undefined;
  replacement: string;
  skipSpecial: boolean;
  interpretSpecial: boolean;
}

function replacePlain(p: ReplaceParams, text: string): string {
  return p.re ? pySub(p.re, p.replacement, text) : text;
}

export const replaceString = def<ReplaceParams>({
  scope: 'value',
  expansions: 'skip',
  parse: (r) => ({
    re: regexParam(r, 'regex'),
    replacement: r.str('replacement'),
    skipSpecial: r.bool('skip_special', false),
    interpretSpecial: r.bool('interpret_special', false),
  }),
  applyValue: (p, v) => {
    let s: StrValue;
    if (v.kind === 'Num') {
      // Numbers are matched as text; pySigma's own tests keep a number the regex does not change.
      const text = pyNumberText(v.value);
      const replaced = replacePlain(p, text);
      return replaced === text ? undefined : [str(parseSigmaString(replaced), false)];
    }
    if (v.kind === 'Str') s = v;
    else return undefined;
    if (p.skipSpecial) {
      const parts: StrPart[] = [];
      for (const part of s.parts) {
        if (part.kind !== 'Lit') {
          parts.push(part);
          continue;
        }
        const replaced = replacePlain(p, part.text);
        if (p.interpretSpecial) parts.push(...parseSigmaString(replaced));
        else parts.push({ kind: 'Lit', text: replaced });
      }
      return [str(parts, s.cased)];
    }
    const replaced = replacePlain(p, strToPlain(s.parts));
    // pySigma doubles backslashes not before a wildcard, then parses the text as a Sigma string.
    const escaped = replaced.replace(/\\(?![*?])/g, '\\\\');
    let parts = parseSigmaString(escaped);
    if (hasPlaceholder(s.parts)) parts = insertPlaceholders(parts);
    return [str(parts, s.cased)];
  },
});

export const mapString = def<{ mapping: Map<string, string | string[]> }>({
  scope: 'value',
  expansions: 'skip',
  parse: (r) => ({ mapping: r.strMapping('mapping') }),
  applyValue: (p, v) => {
    if (v.kind !== 'Str') return undefined;
    const m = p.mapping.get(strToPlain(v.parts));
    if (m === undefined) return undefined;
    const list = typeof m === 'string' ? [m] : m;
    return list.map((x) => str(parseSigmaString(x), false));
  },
});

export const regexTransformation = def<{ method: 'plain' | 'ignore_case_flag' | 'ignore_case_brackets' }>({
  scope: 'value',
  expansions: 'skip',
  parse: (r) => ({
    method: r.oneOf('method', ['plain', 'ignore_case_flag', 'ignore_case_brackets'], 'ignore_case_brackets'),
  }),
  applyValue: (p, v, _f, env) => {
    if (v.kind !== 'Str') return undefined;
    if (v.parts.length === 0) return [v];
    let pattern = '';
    for (const part of v.parts) {
      switch (part.kind) {
        case 'Lit':
          for (const c of part.text) {
            pattern +=
              p.method === 'ignore_case_brackets' && /\p{L}/u.test(c)
                ? `[${c.toLowerCase()}${c.toUpperCase()}]`
                : pyEscape(c);
          }
          break;
        case 'WildcardMulti':
          pattern += '.*';
          break;
        case 'WildcardSingle':
          pattern += '.';
          break;
        case 'Placeholder':
          envError(
            env,
            'TL4103',
            `Placeholder '${part.name}' can't be converted to a regular expression. Please use a placeholder resolution transformation before.`,
          );
          return undefined;
      }
    }
    return [{ kind: 'Re', pattern, flags: { i: p.method === 'ignore_case_flag', m: false, s: false } }];
  },
});

function snakeCase(s: string): string {
  return s
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[\s-]+/g, '_')
    .toLowerCase();
}

export const caseTransformation = def<{ method: 'lower' | 'upper' | 'snake_case' }>({
  scope: 'value',
  expansions: 'skip',
  parse: (r) => ({ method: r.oneOf('method', ['lower', 'upper', 'snake_case'], 'lower') }),
  applyValue: (p, v) => {
    if (v.kind !== 'Str') return undefined;
    const f =
      p.method === 'lower'
        ? (s: string): string => s.toLowerCase()
        : p.method === 'upper'
          ? (s: string): string => s.toUpperCase()
          : snakeCase;
    return [
      str(
        v.parts.map((x) => (x.kind === 'Lit' ? { kind: 'Lit', text: f(x.text) } : x)),
        v.cased,
      ),
    ];
  },
});

function toIrValue(x: unknown): IrValue | undefined {
  if (typeof x === 'string') return str(parseSigmaString(x), false);
  if (typeof x === 'boolean') return { kind: 'Bool', value: x };
  if (typeof x === 'number') return { kind: 'Num', value: x, raw: String(x) };
  if (x === null) return { kind: 'Null' };
  return undefined;
}

export const setValue = def<{ value: IrValue }>({
  scope: 'value',
  expansions: 'replace',
  parse: (r) => {
    const raw = r.any('value');
    if (raw === undefined) r.error("missing parameter 'value'", 'value');
    const force = r.has('force_type') ? r.oneOf('force_type', ['str', 'num'], undefined) : undefined;
    let value: IrValue | undefined;
    if (force === undefined) {
      value = toIrValue(raw ?? null);
    } else if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') {
      r.error(`force_type '${force}' is only allowed for string and numeric values`, 'force_type');
    } else if (force === 'str') {
      value = str(parseSigmaString(typeof raw === 'boolean' ? (raw ? 'True' : 'False') : String(raw)), false);
    } else {
      const n = typeof raw === 'number' ? raw : parsePyInt(String(raw));
      if (n === undefined) r.error(`Value '${String(raw)}' can't be converted to number`, 'value');
      else value = { kind: 'Num', value: n, raw: String(n) };
    }
    if (value === undefined && force === undefined) r.error(`unsupported value type for set_value`, 'value');
    return { value: value ?? { kind: 'Null' } };
  },
  applyValue: (p) => [p.value],
});

/** int() of a string as Python does it for SigmaNumber (floats in strings are rejected). */
function parsePyInt(s: string): number | undefined {
  const t = s.trim().replaceAll('_', '');
  return /^[+-]?\d+$/.test(t) ? Number(t) : undefined;
}

export const convertType = def<{ target: 'str' | 'num' }>({
  scope: 'value',
  expansions: 'map',
  parse: (r) => ({ target: r.oneOf('target_type', ['str', 'num'], undefined) }),
  applyValue: (p, v, _f, env) => {
    if (v.kind === 'Null') return undefined;
    if (p.target === 'str') {
      if (v.kind === 'Str') return [v];
      if (v.kind === 'Num') return [str([{ kind: 'Lit', text: pyNumberText(v.value) }], false)];
      if (v.kind === 'Bool') return [str([{ kind: 'Lit', text: v.value ? 'True' : 'False' }], false)];
      return undefined;
    }
    if (v.kind === 'Num') return [v];
    const text =
      v.kind === 'Str' ? strToPlain(v.parts) : v.kind === 'Bool' ? (v.value ? 'True' : 'False') : undefined;
    const n = text === undefined ? undefined : parsePyInt(text);
    if (n === undefined) {
      envError(env, 'TL4103', `Value '${text ?? v.kind}' can't be converted to number`);
      return undefined;
    }
    return [{ kind: 'Num', value: n, raw: String(n) }];
  },
});

// ------------------------------------------------------------------------------------- placeholders

interface PlaceholderParams {
  include: string[] | undefined;
  exclude: string[] | undefined;
}

function parseIncludeExclude(r: ParamReader): PlaceholderParams {
  const include = r.strList('include', false);
  const exclude = r.strList('exclude', false);
  if (include !== undefined && exclude !== undefined) {
    r.error('Placeholder transformation include and exclude lists can only be used exclusively!');
  }
  return { include, exclude };
}

function handles(p: PlaceholderParams): (name: string) => boolean {
  return (name) =>
    (p.include === undefined && p.exclude === undefined) ||
    (p.include !== undefined && p.include.includes(name)) ||
    (p.exclude !== undefined && !p.exclude.includes(name));
}

function placeholderTransformation(
  alternatives: (name: string, env: Parameters<ValueFn>[3]) => StrPart[][] | undefined,
): TransformationDef {
  return def<PlaceholderParams>({
    scope: 'value',
    expansions: 'skip',
    parse: parseIncludeExclude,
    applyValue: (p, v, _f, env) => {
      if (v.kind !== 'Str' || !hasPlaceholder(v.parts, handles(p))) return undefined;
      let failed = false;
      const h = handles(p);
      const out = expandPlaceholders(v.parts, (name) => {
        if (!h(name)) return [[{ kind: 'Placeholder', name }]];
        const alts = failed ? undefined : alternatives(name, env);
        if (alts === undefined) {
          failed = true;
          return [];
        }
        return alts;
      });
      if (failed) return undefined;
      return out.map((parts) => str(parts, v.cased));
    },
  });
}

type ValueFn = Extract<TransformationDef, { scope: 'value' }>['applyValue'];

export const wildcardPlaceholders = placeholderTransformation(() => [[{ kind: 'WildcardMulti' }]]);

export const valuePlaceholders = placeholderTransformation((name, env) => {
  if (!(name in env.vars)) {
    envError(env, 'TL4103', `Placeholder replacement variable '${name}' doesn't exists.`);
    return undefined;
  }
  const raw = env.vars[name];
  const list = Array.isArray(raw) ? (raw as unknown[]) : [raw];
  if (!list.every((x) => typeof x === 'string' || typeof x === 'number')) {
    envError(env, 'TL4103', `Replacement variable '${name}' contains value which is not a string or number.`);
    return undefined;
  }
  return list.map((x) => parseSigmaString(String(x)));
});

interface QueryExprParams extends PlaceholderParams {
  expression: string;
  mapping: Map<string, string | string[]>;
}

export const queryExpressionPlaceholders = def<QueryExprParams>({
  scope: 'value',
  expansions: 'skip',
  parse: (r) => ({
    ...parseIncludeExclude(r),
    expression: r.optStr('expression') ?? '',
    mapping: r.strMapping('mapping', false),
  }),
  applyValue: (p, v, _f, env) => {
    if (v.kind !== 'Str' || !hasPlaceholder(v.parts)) return undefined;
    const only = v.parts.length === 1 ? v.parts[0] : undefined;
    if (only?.kind !== 'Placeholder') {
      envError(
        env,
        'TL4103',
        'Placeholder query expression transformation only allows placeholder-only strings.',
      );
      return undefined;
    }
    if (!handles(p)(only.name)) return undefined;
    const mapped = p.mapping.get(only.name);
    const id = typeof mapped === 'string' && mapped !== '' ? mapped : only.name;
    return [{ kind: 'QueryExpr', expr: p.expression, id }];
  },
});
