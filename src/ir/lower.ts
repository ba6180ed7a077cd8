/**
 * Sigma AST → IR. Applies every value modifier and resolves the condition against the selections,
 * keeping pySigma's tree shape: a selection map is an And of its items, a list of maps an Or, a value list
 * an Or (And with `all`), `1 of x*` an Or over the matching selections; And/Or with a single child
 * collapse to the child, chains of the same operator are flat (as pyparsing's infix notation builds them).
 */
import type { Diagnostic } from '../diagnostics/index.js';
import { fail, ok } from '../diagnostics/index.js';
import type { Result } from '../diagnostics/index.js';
import type {
  Condition,
  ConditionNode,
  DetectionGroup,
  DetectionItem,
  NamedDetection,
  SigmaCorrelation,
  SigmaFilter,
  SigmaRule,
} from '../sigma/ast.js';
import { matchSelections } from '../sigma/condition.js';
import { packed } from '../sigma/packed.js';
import type { IrCorrelation, IrNode, IrRule, IrValue, Origin } from './types.js';
import { applyModifiers, planModifiers } from './values.js';

export function ruleId(doc: { id?: string; file: string; index: number }): string {
  return doc.id ?? `${doc.file}#${doc.index}`;
}

export function lowerRule(rule: SigmaRule): Result<IrRule> {
  const diags: Diagnostic[] = [];
  const conditions = lowerConditions(rule.detection.selections, rule.detection.conditions, rule.file, diags);
  if (conditions === undefined || diags.some((d) => d.severity === 'error')) return fail(diags);
  const ir: IrRule = {
    id: ruleId(rule),
    title: rule.title,
    logsource: pickLogsource(rule.logsource),
    conditions,
    tags: rule.tags,
    file: rule.file,
    attributes: rule.raw,
  };
  if (rule.name !== undefined) ir.name = rule.name;
  if (rule.level !== undefined) ir.level = rule.level;
  if (rule.status !== undefined) ir.status = rule.status;
  return ok(ir, diags);
}

/** A filter's detection as IR (one tree; the engine negates nothing: the condition says what to keep out). */
export function lowerFilter(filter: SigmaFilter): Result<IrNode[]> {
  const diags: Diagnostic[] = [];
  const conditions = lowerConditions(
    filter.detection.selections,
    filter.detection.conditions,
    filter.file,
    diags,
  );
  if (conditions === undefined || diags.some((d) => d.severity === 'error')) return fail(diags);
  return ok(conditions, diags);
}

export function lowerCorrelation(c: SigmaCorrelation): Result<IrCorrelation> {
  const ir: IrCorrelation = {
    id: ruleId(c),
    title: c.title,
    type: c.type as IrCorrelation['type'],
    rules: c.rules,
    groupBy: c.groupBy,
    timespan: c.timespanSeconds,
    timespanRaw: c.timespan,
    condition: c.condition ?? { bounds: [{ op: 'gte', value: c.rules.length }] },
    aliases: c.aliases,
    generate: c.generate,
  };
  if (c.name !== undefined) ir.name = c.name;
  if (c.level !== undefined) ir.level = c.level;
  return ok(ir);
}

function pickLogsource(ls: SigmaRule['logsource']): IrRule['logsource'] {
  const out: IrRule['logsource'] = {};
  if (ls.category !== undefined) out.category = ls.category;
  if (ls.product !== undefined) out.product = ls.product;
  if (ls.service !== undefined) out.service = ls.service;
  return out;
}

/** A rule's (or filter's) conditions resolved against its selections: one tree per condition. */
function lowerConditions(
  selections: readonly NamedDetection[],
  conditions: readonly Condition[],
  file: string,
  diags: Diagnostic[],
): IrNode[] | undefined {
  const l = new ConditionLowering(selections, file, diags);
  const out: IrNode[] = [];
  for (const c of conditions) {
    if (!c.ast) return undefined;
    const tree = l.walk(c.ast);
    if (!tree) return undefined;
    out.push(tree);
  }
  return packed(out);
}

class ConditionLowering {
  private names: string[] | undefined;

  constructor(
    private readonly selections: readonly NamedDetection[],
    private readonly file: string,
    private readonly diags: Diagnostic[],
  ) {}

  /** The selection called `name` (the last one, should a name be given twice). */
  private find(name: string): NamedDetection | undefined {
    const s = this.selections;
    for (let i = s.length - 1; i >= 0; i--) if (s[i]!.name === name) return s[i];
    return undefined;
  }

  private selection(name: string): IrNode | undefined {
    const s = this.find(name);
    return s ? lowerGroup(s.body, name, this.file, this.diags) : undefined;
  }

  walk(n: ConditionNode): IrNode | undefined {
    switch (n.kind) {
      case 'And':
      case 'Or': {
        const kids: IrNode[] = [];
        this.collect(n.left, n.kind, kids);
        this.collect(n.right, n.kind, kids);
        return combine(n.kind, packed(kids));
      }
      case 'Not': {
        const inner = this.walk(n.operand);
        return inner ? { kind: 'Not', child: inner } : undefined;
      }
      case 'Ref': {
        const l = this.selection(n.name);
        if (!l && !this.find(n.name)) {
          this.diags.push({
            code: 'TL2002',
            severity: 'error',
            message: `undefined selection '${n.name}'`,
            file: this.file,
            span: n.span,
          });
        }
        return l;
      }
      case 'Quantified': {
        this.names ??= this.selections.map((s) => s.name);
        const matched = matchSelections(n.pattern, this.names);
        if (matched.length === 0) {
          this.diags.push({
            code: 'TL2005',
            severity: 'error',
            message: `'${n.pattern}' matches no selection`,
            file: this.file,
            span: n.span,
          });
          return undefined;
        }
        const kids: IrNode[] = [];
        for (const name of matched) {
          const l = this.selection(name);
          if (l) kids.push(l);
        }
        return combine(n.quantifier === 'all' ? 'And' : 'Or', packed(kids));
      }
    }
  }

  /**
   * Flatten chains of the same operator written without parentheses, as pyparsing does;
   * `a and (b and c)` stays nested, as it does for pySigma.
   */
  private collect(x: ConditionNode, kind: 'And' | 'Or', kids: IrNode[]): void {
    if (x.kind === kind && x.parens !== true) {
      this.collect(x.left, kind, kids);
      this.collect(x.right, kind, kids);
      return;
    }
    const l = this.walk(x);
    if (l) kids.push(l);
  }
}

function combine(kind: 'And' | 'Or', children: IrNode[]): IrNode | undefined {
  if (children.length === 0) return undefined;
  if (children.length === 1) return children[0];
  return { kind, children };
}

function lowerGroup(
  g: DetectionGroup,
  selection: string,
  file: string,
  diags: Diagnostic[],
): IrNode | undefined {
  const kids: IrNode[] = [];
  for (const it of g.items) {
    const l =
      it.kind === 'DetectionGroup'
        ? lowerGroup(it, selection, file, diags)
        : lowerItem(it, selection, file, diags);
    if (l) kids.push(l);
  }
  return combine(g.linking === 'and' ? 'And' : 'Or', packed(kids));
}

function lowerItem(
  item: DetectionItem,
  selection: string,
  file: string,
  diags: Diagnostic[],
): IrNode | undefined {
  // The modifier chain is read once per distinct chain, not once per item or value.
  const plan = planModifiers(item.modifiers);
  const origin: Origin = { selection, key: item.key, span: item.span, modifiers: plan.names };
  const field = item.field;
  const values = item.values;
  let node: IrNode;
  if (values.length === 0) {
    if (field === undefined) {
      diags.push({
        code: 'TL3007',
        severity: 'error',
        message: 'an empty keyword list matches nothing',
        file,
        span: item.span,
      });
      return undefined;
    }
    node = leaf(field, { kind: 'Null' }, origin);
  } else if (values.length === 1) {
    const r = applyModifiers(values[0]!, plan, file, diags);
    if (r === undefined) return undefined;
    node = valueNode(field, r, origin);
  } else {
    const kids: IrNode[] = [];
    for (const v of values) {
      const r = applyModifiers(v, plan, file, diags);
      if (r === undefined) return undefined;
      kids.push(valueNode(field, r, origin));
    }
    node = { kind: plan.all ? 'And' : 'Or', children: packed(kids) };
  }
  return plan.neq ? { kind: 'Not', child: node } : node;
}

/** The node for one written value: a leaf, or an Or over the values a modifier expanded it to. */
function valueNode(field: string | undefined, v: IrValue | IrValue[], origin: Origin): IrNode {
  if (!Array.isArray(v)) return leaf(field, v, origin);
  if (v.length === 1) return leaf(field, v[0]!, origin);
  const kids: IrNode[] = [];
  for (const x of v) kids.push(leaf(field, x, origin));
  return { kind: 'Or', children: packed(kids) };
}

function leaf(field: string | undefined, value: IrValue, origin: Origin): IrNode {
  return field === undefined
    ? { kind: 'Keyword', value, origin }
    : { kind: 'FieldMatch', field, value, origin };
}
