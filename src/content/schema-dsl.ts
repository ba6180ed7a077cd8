/**
 * A small schema language: each content schema is written once as a `Shape`, and both the YAML
 * validator (with line/column diagnostics) and the JSON Schema for editors are produced from it, so
 * the two cannot disagree.
 */
import type { Diagnostic, DiagnosticCode, Span, YamlPath } from '../diagnostics/index.js';
import type { YNode } from './yaml-doc.js';
import { catalog } from '../diagnostics/index.js';

export type Shape =
  | { t: 'string'; enum?: readonly string[]; pattern?: string; format?: 'date' | 'uuid'; doc?: string }
  | { t: 'integer'; min?: number; max?: number; doc?: string }
  | { t: 'boolean'; doc?: string }
  | { t: 'array'; items: Shape; minItems?: number; doc?: string }
  /** Fixed keys; unknown keys are errors except those starting with `x_`. */
  | { t: 'object'; props: Record<string, Shape>; required?: readonly string[]; doc?: string }
  /** Free keys (optionally constrained by a pattern), all values of one shape. */
  | { t: 'map'; values: Shape; keyPattern?: string; doc?: string }
  | { t: 'oneOf'; of: readonly Shape[]; doc?: string }
  | { t: 'any'; doc?: string };

export const UUID_PATTERN =
  '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$';
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
export const DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';

export interface ValidationContext {
  file: string;
  diagnostics: Diagnostic[];
}

const FALLBACK_SPAN: Span = { line: 1, column: 1 };

export function report(
  ctx: ValidationContext,
  code: DiagnosticCode,
  message: string,
  span: Span | undefined,
  path: YamlPath,
): void {
  ctx.diagnostics.push({
    code,
    severity: catalog[code].severity,
    message,
    file: ctx.file,
    span: span ?? FALLBACK_SPAN,
    path,
  });
}

function typeName(node: YNode | undefined): string {
  if (node === undefined) return 'nothing';
  if (node.kind === 'map') return 'mapping';
  if (node.kind === 'seq') return 'list';
  return node.value === null ? 'null' : typeof node.value;
}

const isString = (n: YNode | undefined): n is YNode & { kind: 'scalar'; value: string } =>
  n?.kind === 'scalar' && typeof n.value === 'string';

/** Does the node fit the shape? No diagnostics; used to pick a `oneOf` branch. */
function fits(shape: Shape, node: YNode | undefined): boolean {
  switch (shape.t) {
    case 'string':
      return isString(node);
    case 'integer':
      return node?.kind === 'scalar' && typeof node.value === 'number' && Number.isInteger(node.value);
    case 'boolean':
      return node?.kind === 'scalar' && typeof node.value === 'boolean';
    case 'array':
      return node?.kind === 'seq';
    case 'object':
    case 'map':
      return node?.kind === 'map';
    case 'oneOf':
      return shape.of.some((s) => fits(s, node));
    case 'any':
      return true;
  }
}

function describe(shape: Shape): string {
  switch (shape.t) {
    case 'string':
      return 'a string';
    case 'integer':
      return 'an integer';
    case 'boolean':
      return 'true or false';
    case 'array':
      return 'a list';
    case 'object':
    case 'map':
      return 'a mapping';
    case 'oneOf':
      return shape.of.map(describe).join(' or ');
    case 'any':
      return 'a value';
  }
}

/**
 * Validate a YAML node against a shape, reporting TL8002–TL8006 with positions. `at` is where to point
 * when the node is missing (the parent's key).
 */
export function validateNode(
  ctx: ValidationContext,
  shape: Shape,
  node: YNode | undefined,
  path: YamlPath,
  at?: Span,
): void {
  const where = node?.span ?? at;
  switch (shape.t) {
    case 'string': {
      if (!isString(node)) {
        report(ctx, 'TL8004', `expected a string, found ${typeName(node)}`, where, path);
        return;
      }
      const v = node.value;
      if (shape.enum && !shape.enum.includes(v)) {
        report(ctx, 'TL8005', `'${v}' is not one of: ${shape.enum.join(', ')}`, where, path);
      } else if (shape.format === 'uuid' && !UUID_RE.test(v)) {
        report(ctx, 'TL8006', `'${v}' is not a UUID v4`, where, path);
      } else if (shape.format === 'date' && !isDate(v)) {
        report(ctx, 'TL8006', `'${v}' is not a date (YYYY-MM-DD)`, where, path);
      } else if (shape.pattern !== undefined && !new RegExp(shape.pattern).test(v)) {
        report(ctx, 'TL8006', `'${v}' does not match ${shape.pattern}`, where, path);
      }
      return;
    }
    case 'integer': {
      if (node?.kind !== 'scalar' || typeof node.value !== 'number' || !Number.isInteger(node.value)) {
        report(ctx, 'TL8004', `expected an integer, found ${typeName(node)}`, where, path);
        return;
      }
      if (
        (shape.min !== undefined && node.value < shape.min) ||
        (shape.max !== undefined && node.value > shape.max)
      ) {
        report(
          ctx,
          'TL8005',
          `${node.value} is outside ${shape.min ?? '-∞'}..${shape.max ?? '∞'}`,
          where,
          path,
        );
      }
      return;
    }
    case 'boolean':
      if (node?.kind !== 'scalar' || typeof node.value !== 'boolean') {
        report(ctx, 'TL8004', `expected true or false, found ${typeName(node)}`, where, path);
      }
      return;
    case 'array': {
      if (node?.kind !== 'seq') {
        report(ctx, 'TL8004', `expected a list, found ${typeName(node)}`, where, path);
        return;
      }
      if (shape.minItems !== undefined && node.items.length < shape.minItems) {
        report(ctx, 'TL8005', `expected at least ${shape.minItems} item(s)`, where, path);
      }
      node.items.forEach((item, i) => validateNode(ctx, shape.items, item, [...path, i], where));
      return;
    }
    case 'object': {
      if (node?.kind !== 'map') {
        report(ctx, 'TL8004', `expected a mapping, found ${typeName(node)}`, where, path);
        return;
      }
      const seen = new Set<string>();
      for (const e of node.entries) {
        seen.add(e.key);
        const sub = shape.props[e.key];
        if (sub) validateNode(ctx, sub, e.value, [...path, e.key], e.keySpan);
        else if (!e.key.startsWith('x_')) {
          const hint = closest(e.key, Object.keys(shape.props));
          report(
            ctx,
            'TL8002',
            `unknown key '${e.key}'${hint !== undefined ? ` (did you mean '${hint}'?)` : ''}; custom keys must start with 'x_'`,
            e.keySpan,
            [...path, e.key],
          );
        }
      }
      for (const r of shape.required ?? []) {
        if (!seen.has(r)) report(ctx, 'TL8003', `required key '${r}' is missing`, at ?? where, path);
      }
      return;
    }
    case 'map': {
      if (node?.kind !== 'map') {
        report(ctx, 'TL8004', `expected a mapping, found ${typeName(node)}`, where, path);
        return;
      }
      const re = shape.keyPattern !== undefined ? new RegExp(shape.keyPattern) : undefined;
      for (const e of node.entries) {
        if (re && !re.test(e.key)) {
          report(ctx, 'TL8006', `key '${e.key}' does not match ${shape.keyPattern!}`, e.keySpan, [
            ...path,
            e.key,
          ]);
          continue;
        }
        validateNode(ctx, shape.values, e.value, [...path, e.key], e.keySpan);
      }
      return;
    }
    case 'oneOf': {
      const branch = shape.of.find((s) => fits(s, node));
      if (!branch) {
        report(ctx, 'TL8004', `expected ${describe(shape)}, found ${typeName(node)}`, where, path);
        return;
      }
      validateNode(ctx, branch, node, path, at);
      return;
    }
    case 'any':
      return;
  }
}

export function isDate(v: string): boolean {
  if (!new RegExp(DATE_PATTERN).test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

/** The nearest key by edit distance, when it is close enough to be a likely typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDist = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDist) {
      bestDist = d;
      best = c;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/** JSON Schema (draft-07 subset, which editors support best) for a shape. */
export function toJsonSchema(shape: Shape): Record<string, unknown> {
  const withDoc = (o: Record<string, unknown>): Record<string, unknown> =>
    shape.doc !== undefined ? { description: shape.doc, ...o } : o;
  switch (shape.t) {
    case 'string': {
      const o: Record<string, unknown> = { type: 'string' };
      if (shape.enum) o.enum = [...shape.enum];
      if (shape.format === 'uuid') o.pattern = UUID_PATTERN;
      else if (shape.format === 'date') o.pattern = DATE_PATTERN;
      else if (shape.pattern !== undefined) o.pattern = shape.pattern;
      return withDoc(o);
    }
    case 'integer': {
      const o: Record<string, unknown> = { type: 'integer' };
      if (shape.min !== undefined) o.minimum = shape.min;
      if (shape.max !== undefined) o.maximum = shape.max;
      return withDoc(o);
    }
    case 'boolean':
      return withDoc({ type: 'boolean' });
    case 'array': {
      const o: Record<string, unknown> = { type: 'array', items: toJsonSchema(shape.items) };
      if (shape.minItems !== undefined) o.minItems = shape.minItems;
      return withDoc(o);
    }
    case 'object': {
      const o: Record<string, unknown> = {
        type: 'object',
        properties: Object.fromEntries(Object.entries(shape.props).map(([k, v]) => [k, toJsonSchema(v)])),
        patternProperties: { '^x_': {} },
        additionalProperties: false,
      };
      if (shape.required && shape.required.length > 0) o.required = [...shape.required];
      return withDoc(o);
    }
    case 'map': {
      const o: Record<string, unknown> = { type: 'object' };
      if (shape.keyPattern !== undefined) {
        o.patternProperties = { [shape.keyPattern]: toJsonSchema(shape.values) };
        o.additionalProperties = false;
      } else {
        o.additionalProperties = toJsonSchema(shape.values);
      }
      return withDoc(o);
    }
    case 'oneOf':
      return withDoc({ anyOf: shape.of.map(toJsonSchema) });
    case 'any':
      return withDoc({});
  }
}
