/**
 * A minimal conversion driver for the Elastic and QRadar tests until src/pipeline and the target
 * registry land on main: Sigma text → IR → the pipeline items these targets use → backend.
 * It understands only the pipeline vocabulary our pipeline data uses (logsource rule conditions,
 * field_name_mapping, add_condition, field_name_prefix with processing_item_applied/include_fields
 * conditions, convert_type to str, set_state, rule_failure via custom handlers).
 */
import type { Diagnostic } from '../../src/diagnostics/index.js';
import type { IrNode, IrRule, StrPart } from '../../src/ir/index.js';
import { lowerCorrelation, lowerRule } from '../../src/ir/index.js';
import { parseSigmaText } from '../../src/sigma/index.js';
import type { Backend, ConvertedRule } from '../../src/backends/text/index.js';

export interface MiniPipeline {
  transformations: Record<string, unknown>[];
}

/** A custom transformation: returns diagnostics (rule fails on errors). */
export type CustomTransform = (rule: IrRule, item: Record<string, unknown>, state: Record<string, unknown>) => Diagnostic[];

export interface DriverResult {
  output?: string[];
  diagnostics: Diagnostic[];
}

type FM = Extract<IrNode, { kind: 'FieldMatch' }>;

function logsourceMatches(rule: IrRule, cond: Record<string, unknown>): boolean {
  for (const k of ['category', 'product', 'service'] as const) {
    if (cond[k] !== undefined && rule.logsource[k] !== cond[k]) return false;
  }
  return true;
}

function ruleConditionsMatch(rule: IrRule, item: Record<string, unknown>): boolean {
  const conds = (item['rule_conditions'] as Record<string, unknown>[] | undefined) ?? [];
  if (conds.length === 0) return true;
  const results = conds.map((c) => (c['type'] === 'logsource' ? logsourceMatches(rule, c) : true));
  const r = item['rule_cond_op'] === 'or' ? results.some(Boolean) : results.every(Boolean);
  return item['rule_cond_not'] === true ? !r : r;
}

function fieldMatches(rule: IrRule): FM[] {
  const out: FM[] = [];
  const walk = (n: IrNode): void => {
    if (n.kind === 'FieldMatch') out.push(n);
    else if (n.kind === 'And' || n.kind === 'Or') n.children.forEach(walk);
    else if (n.kind === 'Not') walk(n.child);
  };
  rule.conditions.forEach(walk);
  return out;
}

function lit(text: string): StrPart[] {
  const parts: StrPart[] = [];
  let buf = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && i + 1 < text.length && '*?\\'.includes(text[i + 1] ?? '')) {
      buf += text[++i];
    } else if (c === '*' || c === '?') {
      if (buf) parts.push({ kind: 'Lit', text: buf });
      buf = '';
      parts.push({ kind: c === '*' ? 'WildcardMulti' : 'WildcardSingle' });
    } else buf += c;
  }
  if (buf) parts.push({ kind: 'Lit', text: buf });
  return parts;
}

function fieldCondition(fm: FM, item: Record<string, unknown>): boolean {
  const conds = (item['field_name_conditions'] as Record<string, unknown>[] | undefined) ?? [];
  if (conds.length === 0) return true;
  const res = conds.map((c) => {
    if (c['type'] === 'processing_item_applied') {
      return (fm.origin.appliedBy ?? []).includes(String(c['processing_item_id']));
    }
    if (c['type'] === 'include_fields' || c['type'] === 'exclude_fields') {
      const fields = c['fields'] as string[];
      const hit =
        c['mode'] === 're'
          ? fields.some((f) => new RegExp(`^(?:${f})`).test(fm.field))
          : fields.includes(fm.field);
      return c['type'] === 'include_fields' ? hit : !hit;
    }
    throw new Error(`driver: unknown field condition ${String(c['type'])}`);
  });
  const r = item['field_name_cond_op'] === 'or' ? res.some(Boolean) : res.every(Boolean);
  return item['field_name_cond_not'] === true ? !r : r;
}

function mark(fm: FM, id: unknown): void {
  if (typeof id !== 'string') return;
  fm.origin = { ...fm.origin, appliedBy: [...(fm.origin.appliedBy ?? []), id] };
}

export function applyMini(
  rule: IrRule,
  pipelines: readonly MiniPipeline[],
  state: Record<string, unknown>,
  custom: Readonly<Record<string, CustomTransform>> = {},
): Diagnostic[] {
  const diags: Diagnostic[] = [];
  for (const p of pipelines) {
    for (const item of p.transformations) {
      if (!ruleConditionsMatch(rule, item)) continue;
      const type = String(item['type']);
      switch (type) {
        case 'field_name_mapping': {
          const mapping = item['mapping'] as Record<string, string | string[]>;
          for (const fm of fieldMatches(rule)) {
            const to = mapping[fm.field];
            if (to === undefined || !fieldCondition(fm, item)) continue;
            if (Array.isArray(to)) {
              // one field becomes an OR over its alternatives
              const alts = to.map((f) => ({ ...fm, field: f, origin: { ...fm.origin } }));
              alts.forEach((a) => mark(a, item['id']));
              const node = fm as unknown as Record<string, unknown>;
              for (const k of Object.keys(node)) Reflect.deleteProperty(node, k);
              Object.assign(node, { kind: 'Or', children: alts });
            } else {
              fm.field = to;
              mark(fm, item['id']);
            }
          }
          break;
        }
        case 'field_name_prefix':
          for (const fm of fieldMatches(rule)) {
            if (!fieldCondition(fm, item)) continue;
            fm.field = String(item['prefix']) + fm.field;
            mark(fm, item['id']);
          }
          break;
        case 'convert_type':
          for (const fm of fieldMatches(rule)) {
            if (!fieldCondition(fm, item) || fm.value.kind !== 'Num') continue;
            fm.value = { kind: 'Str', cased: false, parts: [{ kind: 'Lit', text: fm.value.raw }] };
          }
          break;
        case 'add_condition': {
          const conds = item['conditions'] as Record<string, unknown>;
          const added: IrNode[] = Object.entries(conds).map(([field, v]) => {
            const one = (x: unknown): IrNode => ({
              kind: 'FieldMatch',
              field,
              value:
                typeof x === 'number'
                  ? { kind: 'Num', value: x, raw: String(x) }
                  : { kind: 'Str', cased: false, parts: lit(String(x)) },
              origin: {},
            });
            return Array.isArray(v) ? { kind: 'Or', children: v.map(one) } : one(v);
          });
          const head: IrNode = added.length === 1 && added[0] ? added[0] : { kind: 'And', children: added };
          rule.conditions = rule.conditions.map((c) => ({ kind: 'And', children: [head, c] }));
          break;
        }
        case 'set_state':
          state[String(item['key'])] = item['val'];
          break;
        default: {
          const fn = custom[type];
          if (!fn) throw new Error(`driver: unknown transformation ${type}`);
          diags.push(...fn(rule, item, state));
        }
      }
    }
  }
  return diags;
}

export interface ConvertTextOptions {
  pipelines?: readonly MiniPipeline[];
  format?: string;
  custom?: Readonly<Record<string, CustomTransform>>;
  file?: string;
}

/** Convert every rule / correlation of a Sigma text like the reference CLI does. */
export function convertText(backend: Backend, text: string, o: ConvertTextOptions = {}): DriverResult {
  const file = o.file ?? '<input>';
  const parsed = parseSigmaText(text, file);
  const diagnostics: Diagnostic[] = [...parsed.diagnostics];
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  const format = o.format ?? 'default';
  const converted = new Map<string, ConvertedRule>();
  const output: string[] = [];
  const docs = parsed.file.documents;
  const hasCorrelation = docs.some((d) => d.kind === 'Correlation');
  for (const doc of docs) {
    if (doc.kind !== 'Rule') continue;
    const lowered = lowerRule(doc);
    diagnostics.push(...lowered.diagnostics);
    if (!lowered.ok) return { diagnostics };
    const rule = lowered.value;
    const state: Record<string, unknown> = {};
    const pd = applyMini(rule, o.pipelines ?? [], state, o.custom);
    diagnostics.push(...pd);
    if (pd.some((d) => d.severity === 'error')) return { diagnostics };
    const r = backend.convertRule(rule, { format, state });
    diagnostics.push(...r.diagnostics);
    if (!r.ok) return { diagnostics };
    const cr: ConvertedRule = { rule, queries: r.value.raw };
    if (rule.name !== undefined) converted.set(rule.name, cr);
    converted.set(rule.id, cr);
    // Rules referenced by a correlation are not output by themselves (generate: false).
    if (!hasCorrelation) output.push(...r.value.queries);
  }
  for (const doc of docs) {
    if (doc.kind !== 'Correlation') continue;
    const lc = lowerCorrelation(doc);
    if (!lc.ok || !backend.convertCorrelation) {
      diagnostics.push(...lc.diagnostics);
      return { diagnostics };
    }
    const refs = lc.value.rules.map((n) => converted.get(n)).filter((x): x is ConvertedRule => x !== undefined);
    const r = backend.convertCorrelation(lc.value, refs, { format, state: {} });
    diagnostics.push(...r.diagnostics);
    if (!r.ok) return { diagnostics };
    output.push(...r.value);
  }
  const fin = backend.finalizeOutput(output, { format });
  return { output: typeof fin === 'string' ? [fin] : fin, diagnostics };
}
