/**
 * INTERIM: a minimal applier for the pipeline vocabulary the built-in target pipelines use
 * (field_name_mapping, add_condition, set_state, detection_item_failure, rule_failure with
 * logsource / processing_item_applied / include_fields conditions). It exists only until
 * src/pipeline (applyPipelines) lands in main; convert.ts switches to it then and this file goes.
 */
import type { Diagnostic, Result } from '../diagnostics/index.js';
import { fail, ok } from '../diagnostics/index.js';
import type { IrNode, IrRule } from '../ir/types.js';
import { parseSigmaString } from '../ir/strings.js';

type Obj = Record<string, unknown>;

export interface InterimApplied {
  rule: IrRule;
  state: Record<string, unknown>;
  applied: string[];
}

const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);

function logsourceMatches(rule: IrRule, c: Obj): boolean {
  for (const k of ['category', 'product', 'service'] as const) {
    const want = c[k];
    if (typeof want === 'string' && rule.logsource[k] !== want) return false;
  }
  return true;
}

function ruleConditionsHold(rule: IrRule, t: Obj, applied: readonly string[]): boolean {
  const conds = Array.isArray(t['rule_conditions']) ? t['rule_conditions'].filter(isObj) : [];
  if (conds.length === 0) return true;
  const results = conds.map((c) => {
    if (c['type'] === 'logsource') return logsourceMatches(rule, c);
    if (c['type'] === 'processing_item_applied') return applied.includes(String(c['processing_item_id']));
    return false;
  });
  const op = t['rule_cond_op'] === 'or' ? 'or' : 'and';
  const r = op === 'or' ? results.some(Boolean) : results.every(Boolean);
  return t['rule_cond_not'] === true ? !r : r;
}

function fieldsOf(node: IrNode, out: string[]): string[] {
  switch (node.kind) {
    case 'And':
    case 'Or':
      node.children.forEach((c) => fieldsOf(c, out));
      break;
    case 'Not':
      fieldsOf(node.child, out);
      break;
    case 'FieldMatch':
      out.push(node.field);
      break;
    default:
      break;
  }
  return out;
}

function mapFields(node: IrNode, mapping: Obj, id: string): IrNode {
  switch (node.kind) {
    case 'And':
    case 'Or':
      return { kind: node.kind, children: node.children.map((c) => mapFields(c, mapping, id)) };
    case 'Not':
      return { kind: 'Not', child: mapFields(node.child, mapping, id) };
    case 'FieldMatch': {
      const to = mapping[node.field];
      if (typeof to !== 'string') return node;
      return {
        ...node,
        field: to,
        origin: { ...node.origin, appliedBy: [...(node.origin.appliedBy ?? []), id] },
      };
    }
    default:
      return node;
  }
}

function conditionNode(conditions: Obj): IrNode {
  const items: IrNode[] = Object.entries(conditions).map(([field, v]) => {
    const leaf = (x: unknown): IrNode => {
      const value =
        typeof x === 'number'
          ? { kind: 'Num' as const, value: x, raw: String(x) }
          : { kind: 'Str' as const, parts: parseSigmaString(String(x)), cased: false };
      return field === ''
        ? { kind: 'Keyword', value, origin: {} }
        : { kind: 'FieldMatch', field, value, origin: {} };
    };
    if (Array.isArray(v)) return v.length === 1 ? leaf(v[0]) : { kind: 'Or', children: v.map(leaf) };
    return leaf(v);
  });
  return items.length === 1 ? items[0]! : { kind: 'And', children: items };
}

const compiled = new WeakMap<readonly Obj[], Obj[]>();

/** Apply pipelines (plain objects in pySigma's YAML vocabulary), ordered by priority. */
export function applyInterimPipelines(rule: IrRule, pipelines: readonly Obj[]): Result<InterimApplied> {
  let ts = compiled.get(pipelines);
  if (!ts) {
    ts = [...pipelines]
      .sort((a, b) => Number(a['priority'] ?? 0) - Number(b['priority'] ?? 0))
      .flatMap((p) => (Array.isArray(p['transformations']) ? p['transformations'].filter(isObj) : []));
    compiled.set(pipelines, ts);
  }
  let current = rule;
  const state: Record<string, unknown> = {};
  const applied: string[] = [];
  const diags: Diagnostic[] = [];
  {
    for (const t of ts) {
      if (!ruleConditionsHold(current, t, applied)) continue;
      const id = typeof t['id'] === 'string' ? t['id'] : String(t['type']);
      switch (t['type']) {
        case 'field_name_mapping': {
          const mapping = isObj(t['mapping']) ? t['mapping'] : {};
          current = { ...current, conditions: current.conditions.map((c) => mapFields(c, mapping, id)) };
          break;
        }
        case 'add_condition': {
          const add = conditionNode(isObj(t['conditions']) ? t['conditions'] : {});
          current = {
            ...current,
            conditions: current.conditions.map((c) => ({ kind: 'And', children: [add, c] })),
          };
          break;
        }
        case 'set_state':
          state[String(t['key'])] = t['val'];
          break;
        case 'detection_item_failure': {
          const conds = Array.isArray(t['field_name_conditions'])
            ? t['field_name_conditions'].filter(isObj)
            : [];
          const allowed = new Set(
            conds.flatMap((c) => (Array.isArray(c['fields']) ? c['fields'].map(String) : [])),
          );
          const negate = t['field_name_cond_not'] === true;
          const bad = current.conditions
            .flatMap((c) => fieldsOf(c, []))
            .some((f) => (negate ? !allowed.has(f) : allowed.has(f)));
          if (bad) {
            diags.push({ code: 'TL5010', severity: 'error', message: String(t['message']), file: rule.file });
            return fail(diags);
          }
          continue;
        }
        case 'rule_failure':
          diags.push({ code: 'TL5010', severity: 'error', message: String(t['message']), file: rule.file });
          return fail(diags);
        default:
          continue;
      }
      applied.push(id);
    }
  }
  return ok({ rule: current, state, applied }, diags);
}
