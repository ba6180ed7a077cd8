/**
 * A minimal interpreter of the pySigma pipeline vocabulary used by the pipelines of the Sumo Logic,
 * SecOps and LogScale targets, so their tests can run before src/pipeline lands. It covers only the
 * transformations and conditions those pipeline objects use; the real loader replaces it.
 */
import type { IrNode, IrRule, StrPart } from '../../../src/ir/types.js';
import { parseSigmaString, plainText } from '../../../src/ir/strings.js';
import type { PipelineSpec, PipelineItem, PipelineCondition } from '../../../src/backends/text/pipeline-spec.js';

export interface MiniResult {
  rule?: IrRule;
  error?: string;
  state: Record<string, unknown>;
}

type FieldMatch = Extract<IrNode, { kind: 'FieldMatch' }>;

function strValues(n: FieldMatch): string[] {
  if (n.value.kind === 'Str') return [plainText(n.value.parts)];
  if (n.value.kind === 'Num') return [n.value.raw];
  return [];
}

function leaves(n: IrNode, out: FieldMatch[] = []): FieldMatch[] {
  if (n.kind === 'FieldMatch') out.push(n);
  else if (n.kind === 'And' || n.kind === 'Or') for (const c of n.children) leaves(c, out);
  else if (n.kind === 'Not') leaves(n.child, out);
  return out;
}

function ruleCond(c: PipelineCondition, rule: IrRule, state: Record<string, unknown>): boolean {
  switch (c.type) {
    case 'logsource':
      return (
        (c.category === undefined || rule.logsource.category === c.category) &&
        (c.product === undefined || rule.logsource.product === c.product) &&
        (c.service === undefined || rule.logsource.service === c.service)
      );
    case 'contains_detection_item':
      return rule.conditions.some((t) =>
        leaves(t).some(
          (l) => l.field === c.field && strValues(l).some((v) => v.toLowerCase() === String(c.value).toLowerCase()),
        ),
      );
    case 'is_sigma_rule':
      return true;
    case 'state':
      return state[c.key] === c.val;
    default:
      return false;
  }
}

function combine(results: boolean[], op: 'and' | 'or' | undefined, not: boolean | undefined): boolean {
  if (results.length === 0) return !not;
  const r = op === 'or' ? results.some(Boolean) : results.every(Boolean);
  return not ? !r : r;
}

function fieldCond(c: PipelineCondition, field: string): boolean {
  if (c.type === 'include_fields') {
    const fs = Array.isArray(c.fields) ? c.fields : [c.fields];
    if (c.mode === 'regex') return fs.some((f) => new RegExp(`^(?:${f})$`).test(field));
    return fs.includes(field);
  }
  if (c.type === 'exclude_fields') {
    const fs = Array.isArray(c.fields) ? c.fields : [c.fields];
    return !fs.includes(field);
  }
  return false;
}

function itemCond(c: PipelineCondition, n: FieldMatch): boolean {
  if (c.type === 'match_string') {
    const re = new RegExp(c.pattern);
    const vals = strValues(n);
    const r = c.cond === 'all' ? vals.every((v) => re.test(v)) : vals.some((v) => re.test(v));
    return c.negate ? !r : r;
  }
  return false;
}

class Failure extends Error {}

/** Render parts for regex replacement: wildcards as * ?, literal * ? \ escaped the Sigma way. */
function toPlain(parts: readonly StrPart[]): string {
  return parts
    .map((p) =>
      p.kind === 'Lit'
        ? p.text.replace(/[*?]|\\(?=[*?\\]|$)/g, (c) => '\\' + c)
        : p.kind === 'WildcardMulti'
          ? '*'
          : p.kind === 'WildcardSingle'
            ? '?'
            : `%${p.name}%`,
    )
    .join('');
}

function pyReplacement(rep: string): string {
  return rep.replace(/\\(\d)|\\\\|\$/g, (m: string, d: string | undefined) =>
    d !== undefined ? `$${d}` : m === '$' ? '$$' : '\\',
  );
}

function applyLeaf(item: PipelineItem, n: FieldMatch, rule: IrRule): IrNode | null {
  const t = item.transformation;
  switch (t.type) {
    case 'field_name_mapping': {
      const to = t.mapping[n.field];
      if (to === undefined) return n;
      if (Array.isArray(to)) {
        if (to.length === 1) return { ...n, field: to[0]! };
        return { kind: 'Or', children: to.map((f) => ({ ...n, field: f })) };
      }
      return { ...n, field: to };
    }
    case 'field_name_prefix_mapping': {
      for (const [k, v] of Object.entries(t.mapping)) if (n.field.startsWith(k)) return { ...n, field: v + n.field.slice(k.length) };
      return n;
    }
    case 'detection_item_failure':
      throw new Failure(t.message);
    case 'drop_detection_item':
      return null;
    case 'replace_string': {
      const val = n.value;
      if (val.kind !== 'Str') return n;
      // pySigma applies the regex to each plain part and parses the result as a Sigma string again
      // (so `\\` collapses); patterns that mention the `*` wildcard need the whole value.
      if (t.regex.includes('\\*')) {
        const before = toPlain(val.parts);
        if (!new RegExp(t.regex).test(before)) return n;
        const text = before.replace(new RegExp(t.regex, 'g'), pyReplacement(t.replacement));
        return { ...n, value: { ...val, parts: parseSigmaString(text) } };
      }
      const parts: StrPart[] = [];
      for (const p of val.parts) {
        if (p.kind !== 'Lit') parts.push(p);
        else parts.push(...parseSigmaString(p.text.replace(new RegExp(t.regex, 'g'), pyReplacement(t.replacement))));
      }
      return { ...n, value: { ...val, parts } };
    }
    case 'map_string': {
      const val = n.value;
      if (val.kind !== 'Str') return n;
      const m = t.mapping[plainText(val.parts)];
      if (m === undefined) return n;
      const withValue = (x: string): IrNode => ({ ...n, value: { ...val, parts: parseSigmaString(x) } });
      if (Array.isArray(m)) return { kind: 'Or', children: m.map(withValue) };
      return withValue(m);
    }
    case 'custom':
      return t.leaf ? t.leaf(n, rule) : n;
    default:
      return n;
  }
}

function mapTree(node: IrNode, f: (n: FieldMatch) => IrNode | null): IrNode | null {
  switch (node.kind) {
    case 'FieldMatch':
      return f(node);
    case 'And':
    case 'Or': {
      const children = node.children.map((c) => mapTree(c, f)).filter((c): c is IrNode => c !== null);
      if (children.length === 0) return null;
      return { kind: node.kind, children };
    }
    case 'Not': {
      const c = mapTree(node.child, f);
      return c === null ? null : { kind: 'Not', child: c };
    }
    default:
      return node;
  }
}

function sameItem(children: readonly IrNode[]): FieldMatch[] | null {
  const first = children[0];
  if (first?.kind !== 'FieldMatch' || children.length < 2) return null;
  const o = first.origin;
  for (const c of children) {
    if (c.kind !== 'FieldMatch' || c.field !== first.field) return null;
    if (c.origin.selection !== o.selection || c.origin.key !== o.key || c.origin.span !== o.span) return null;
    if (o.key === undefined) return null;
  }
  return children as FieldMatch[];
}

/** A field mapped to several fields duplicates the whole detection item (all its values) per field. */
function mapItems(node: IrNode, mapping: Record<string, string | string[]>, accept: (f: string) => boolean): IrNode {
  if (node.kind === 'And' || node.kind === 'Or') {
    const item = sameItem(node.children);
    const to = item ? mapping[item[0]!.field] : undefined;
    if (item && Array.isArray(to) && to.length > 1 && accept(item[0]!.field)) {
      return { kind: 'Or', children: to.map((f) => ({ kind: node.kind, children: item.map((c) => ({ ...c, field: f })) })) };
    }
    return { kind: node.kind, children: node.children.map((c) => mapItems(c, mapping, accept)) };
  }
  if (node.kind === 'Not') return { kind: 'Not', child: mapItems(node.child, mapping, accept) };
  return node;
}

function addConditionNode(conds: Record<string, unknown>): IrNode {
  const items: IrNode[] = Object.entries(conds).map(([field, v]) => {
    const vals = Array.isArray(v) ? v : [v];
    const ms: IrNode[] = vals.map((x) => ({
      kind: 'FieldMatch',
      field,
      value:
        typeof x === 'number'
          ? { kind: 'Num', value: x, raw: String(x) }
          : { kind: 'Str', cased: false, parts: parseSigmaString(String(x)) },
      origin: {},
    }));
    return ms.length === 1 ? ms[0]! : { kind: 'Or', children: ms };
  });
  return items.length === 1 ? items[0]! : { kind: 'And', children: items };
}

export function applyMini(rule: IrRule, pipelines: readonly PipelineSpec[]): MiniResult {
  const state: Record<string, unknown> = {};
  let r: IrRule = { ...rule, logsource: { ...rule.logsource } };
  const items = [...pipelines]
    .sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0))
    .flatMap((p) => p.transformations);
  try {
    for (const item of items) {
      const rc = (item.rule_conditions ?? []).map((c) => ruleCond(c, r, state));
      if (!combine(rc, item.rule_cond_op, item.rule_cond_not)) continue;
      const t = item.transformation;
      if (t.type === 'add_condition') {
        const add = addConditionNode(t.conditions);
        r = { ...r, conditions: r.conditions.map((c) => ({ kind: 'And', children: [add, c] })) };
        continue;
      }
      if (t.type === 'change_logsource') {
        const ls = { ...r.logsource };
        if (t.category !== undefined) ls.category = t.category;
        if (t.product !== undefined) ls.product = t.product;
        if (t.service !== undefined) ls.service = t.service;
        r = { ...r, logsource: ls };
        continue;
      }
      if (t.type === 'rule_failure') throw new Failure(t.message);
      if (t.type === 'set_state') {
        state[t.key] = t.val;
        continue;
      }
      if (t.type === 'custom' && t.rule) {
        const out = t.rule(r, state);
        if (typeof out === 'string') throw new Failure(out);
        r = out;
        continue;
      }
      const fc = item.field_name_conditions ?? [];
      const ic = item.detection_item_conditions ?? [];
      if (t.type === 'field_name_mapping') {
        const accept = (f: string): boolean =>
          fc.length === 0 || combine(fc.map((x) => fieldCond(x, f)), item.field_name_cond_op, item.field_name_cond_not);
        r = { ...r, conditions: r.conditions.map((c) => mapItems(c, t.mapping, accept)) };
      }
      const current = r;
      const conditions = r.conditions.map(
        (c) =>
          mapTree(c, (n) => {
            if (fc.length > 0 && !combine(fc.map((x) => fieldCond(x, n.field)), item.field_name_cond_op, item.field_name_cond_not))
              return n;
            if (ic.length > 0 && !combine(ic.map((x) => itemCond(x, n)), item.detection_item_cond_op, item.detection_item_cond_not))
              return n;
            return applyLeaf(item, n, current);
          }) ?? ({ kind: 'Const', value: true } as IrNode),
      );
      r = { ...r, conditions };
    }
  } catch (e) {
    if (e instanceof Failure) return { error: e.message, state };
    throw e;
  }
  return { rule: r, state };
}
