/**
 * Applying pipelines to an IR rule or correlation. Pure: the input is cloned, the clone transformed,
 * and pySigma's per-run pipeline state (state, applied ids, field tracking) lives in an ApplyEnv made
 * for the call. Pipelines are concatenated in ascending priority (stable), their vars merged, as
 * pySigma's `sum(pipelines)` does.
 */
import { fail, ok, type Diagnostic, type Result } from '../diagnostics/index.js';
import type { IrCorrelation, IrNode, IrRule, StrPart } from '../ir/types.js';
import {
  matchFieldItemConditions,
  matchFieldName,
  matchItemConditions,
  matchRuleConditions,
  mayMatchFieldItems,
} from './conditions.js';
import {
  isLeaf,
  markApplied,
  newItemMemo,
  rebuildItem,
  rewriteItems,
  treeFields,
  withField,
  type DetectionItem,
} from './detection-items.js';
import { envError, type ApplyEnv, type Target } from './env.js';
import type { FieldTransformation, TransformationDef, ValueTransformation } from './transformation-def.js';
import type { ApplyOutput, Finalizer, Pipeline, PostprocessingItem, ProcessingItem } from './types.js';

export interface PipelineContext {
  /** Extra transformation types (a backend's own) for loading pipelines (resolvePipeline). */
  transformations?: Readonly<Record<string, TransformationDef>>;
  /** Resolves a correlation's rule references (for logsource conditions on correlations). */
  resolveRule?: (ref: string) => IrRule | IrCorrelation | undefined;
}

/** The pipelines in application order: ascending priority, stable for equal priorities. */
export function orderPipelines(pipelines: readonly Pipeline[]): Pipeline[] {
  return pipelines
    .map((p, i) => ({ p, i }))
    .sort((a, b) => a.p.priority - b.p.priority || a.i - b.i)
    .map((x) => x.p);
}

/** What every rule of a run needs from its pipelines, in application order. */
export interface OrderedPipelines {
  items: readonly ProcessingItem[];
  postprocessing: readonly PostprocessingItem[];
  finalizers: readonly Finalizer[];
  /** The pipelines' vars merged (later pipelines win). */
  vars: Readonly<Record<string, unknown>>;
}

/**
 * A conversion applies the same pipeline list to thousands of rules: order and merge it once per list.
 * The cache is checked against the list's current members, so a caller that edits its array in
 * place still gets a fresh ordering.
 */
const orderedCache = new WeakMap<readonly Pipeline[], { members: Pipeline[]; ordered: OrderedPipelines }>();

export function orderedPipelines(pipelines: readonly Pipeline[]): OrderedPipelines {
  const hit = orderedCache.get(pipelines);
  if (hit && hit.members.length === pipelines.length && hit.members.every((p, i) => p === pipelines[i])) {
    return hit.ordered;
  }
  const order = orderPipelines(pipelines);
  const vars: Record<string, unknown> = {};
  for (const p of order) Object.assign(vars, p.vars);
  const ordered: OrderedPipelines = {
    items: order.flatMap((p) => p.items),
    postprocessing: order.flatMap((p) => p.postprocessing),
    finalizers: order.flatMap((p) => p.finalizers),
    vars,
  };
  orderedCache.set(pipelines, { members: [...pipelines], ordered });
  return ordered;
}

/** Warnings for pipelines whose allowed_backends do not name the target. Call once per conversion. */
export function checkAllowedBackends(pipelines: readonly Pipeline[], target: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const p of pipelines) {
    if (p.allowedBackends && p.allowedBackends.length > 0 && !p.allowedBackends.includes(target)) {
      const d: Diagnostic = {
        code: 'TL4202',
        severity: 'warning',
        message: `pipeline '${p.name}' is meant for ${p.allowedBackends.join(', ')}, not ${target}`,
      };
      if (p.file !== undefined) d.file = p.file;
      out.push(d);
    }
  }
  return out;
}

function newEnv(ordered: OrderedPipelines, ctx: PipelineContext, file: string, fields: string[]): ApplyEnv {
  const env: ApplyEnv = {
    state: {},
    vars: ordered.vars,
    ruleApplied: new Set(),
    fieldApplied: new Map(),
    fieldMappings: new Map(),
    itemMemo: newItemMemo(),
    fields,
    diagnostics: [],
    failed: false,
    file,
    applyItems: (items, target, e) => runItems(items, target, e),
  };
  if (ctx.resolveRule) env.resolveRule = ctx.resolveRule;
  return env;
}

function output<T>(value: T, env: ApplyEnv): Result<ApplyOutput<T>> {
  if (env.failed) return fail(env.diagnostics);
  return ok(
    {
      rule: value,
      state: env.state,
      applied: [...env.ruleApplied],
      fields: env.fields,
      fieldMappings: Object.fromEntries(env.fieldMappings),
    },
    env.diagnostics,
  );
}

function initialFields(attributes: Record<string, unknown> | undefined): string[] {
  const f = attributes?.fields;
  return Array.isArray(f) ? f.filter((x): x is string => typeof x === 'string') : [];
}

/** Apply pipelines to a rule. Returns a new rule; the input is not changed. */
export function applyPipelines(
  rule: IrRule,
  pipelines: readonly Pipeline[],
  ctx: PipelineContext = {},
): Result<ApplyOutput<IrRule>> {
  // Nodes are never changed in place (rewrites build new ones), so copying the containers suffices.
  const working: IrRule = {
    ...rule,
    logsource: { ...rule.logsource },
    conditions: [...rule.conditions],
    tags: [...rule.tags],
  };
  const ordered = orderedPipelines(pipelines);
  const env = newEnv(ordered, ctx, rule.file, initialFields(rule.attributes));
  runItems(ordered.items, { kind: 'Rule', rule: working }, env);
  return output(working, env);
}

/** Apply pipelines to a correlation: field mappings reach group-by, aliases and the condition field. */
export function applyPipelinesToCorrelation(
  correlation: IrCorrelation,
  pipelines: readonly Pipeline[],
  ctx: PipelineContext = {},
  file = '<input>',
): Result<ApplyOutput<IrCorrelation>> {
  const working: IrCorrelation = {
    ...correlation,
    rules: [...correlation.rules],
    groupBy: [...correlation.groupBy],
    condition: { ...correlation.condition, bounds: [...correlation.condition.bounds] },
    aliases: Object.fromEntries(Object.entries(correlation.aliases).map(([k, v]) => [k, { ...v }])),
  };
  const ordered = orderedPipelines(pipelines);
  const env = newEnv(ordered, ctx, file, []);
  runItems(ordered.items, { kind: 'Correlation', correlation: working }, env);
  return output(working, env);
}

function runItems(items: readonly ProcessingItem[], target: Target, env: ApplyEnv): void {
  for (const item of items) {
    if (env.failed) return;
    const def = item.transformation;
    if (!matchRuleConditions(item.ruleConditions, target, env)) continue;
    const outer = env.item;
    env.item = item;
    env.ruleApplied.add(item.id);
    switch (def.scope) {
      case 'rule':
        def.apply(item.params, target, env);
        break;
      case 'item':
        rewriteRule(target, env, item, (it) => {
          const r = def.applyItem(item.params, it, env);
          return r ? markApplied(r, item.id) : r;
        });
        break;
      case 'value':
        rewriteRule(target, env, item, (it) => applyValues(def, item, it, env));
        break;
      case 'field':
        applyFieldMapping(def, item, target, env);
        break;
    }
    env.item = outer;
  }
}

function itemMatches(item: ProcessingItem, it: DetectionItem, env: ApplyEnv): boolean {
  // Field names first: they are cheap to test and rule most items out. Neither kind of condition
  // has side effects, so the order does not change the outcome.
  return (
    matchFieldItemConditions(item.fieldNameConditions, it, env) &&
    matchItemConditions(item.detectionItemConditions, it, env)
  );
}

function rewriteRule(
  target: Target,
  env: ApplyEnv,
  item: ProcessingItem,
  fn: (it: DetectionItem) => IrNode | null | undefined,
): void {
  if (target.kind !== 'Rule') return;
  const conds = target.rule.conditions;
  if (!conds.some((tree) => mayMatchFieldItems(item.fieldNameConditions, tree, env))) return;
  target.rule.conditions = conds.map((tree) => {
    const r = rewriteItems(
      tree,
      (it) => (env.failed || !itemMatches(item, it, env) ? undefined : fn(it)),
      env.itemMemo,
    );
    // Every item of the condition was dropped: nothing left to test, the printers drop constants.
    return r ?? { kind: 'Const', value: true };
  });
}

function applyValues(
  def: ValueTransformation<unknown>,
  item: ProcessingItem,
  it: DetectionItem,
  env: ApplyEnv,
): IrNode | null | undefined {
  let changed = false;
  const nodes: IrNode[] = [];
  for (const slot of it.slots) {
    if (slot.value !== undefined && isLeaf(slot.node)) {
      const leaf = slot.node;
      const r = def.applyValue(item.params, slot.value, it.field, env);
      if (r === undefined) nodes.push(leaf);
      else {
        changed = true;
        for (const v of r) nodes.push({ ...leaf, value: v });
      }
      continue;
    }
    if (def.expansions === 'skip') {
      nodes.push(slot.node);
    } else if (def.expansions === 'replace') {
      const first = firstLeafOf(slot.node);
      const r = first ? def.applyValue(item.params, first.value, it.field, env) : undefined;
      if (r === undefined || !first) nodes.push(slot.node);
      else {
        changed = true;
        for (const v of r) nodes.push({ ...first, value: v });
      }
    } else {
      const mapped = mapLeaves(slot.node, (leaf) => {
        const r = def.applyValue(item.params, leaf.value, it.field, env);
        return r?.length === 1 ? { ...leaf, value: r[0]! } : leaf;
      });
      if (mapped !== slot.node) changed = true;
      nodes.push(mapped);
    }
  }
  if (env.failed || !changed) return undefined;
  const rebuilt = rebuildItem(it, nodes);
  return rebuilt ? markApplied(rebuilt, item.id) : null;
}

type LeafNode = Extract<IrNode, { kind: 'FieldMatch' | 'Keyword' }>;

function firstLeafOf(node: IrNode): LeafNode | undefined {
  if (isLeaf(node)) return node;
  if (node.kind === 'And' || node.kind === 'Or') {
    for (const c of node.children) {
      const l = firstLeafOf(c);
      if (l) return l;
    }
  }
  if (node.kind === 'Not') return firstLeafOf(node.child);
  return undefined;
}

function mapLeaves(node: IrNode, f: (l: LeafNode) => IrNode): IrNode {
  if (isLeaf(node)) return f(node);
  if (node.kind === 'And' || node.kind === 'Or') {
    const children = node.children.map((c) => mapLeaves(c, f));
    return children.every((c, i) => c === node.children[i]) ? node : { kind: node.kind, children };
  }
  if (node.kind === 'Not') {
    const c = mapLeaves(node.child, f);
    return c === node.child ? node : { kind: 'Not', child: c };
  }
  return node;
}

function wrapWildcards(parts: readonly StrPart[]): StrPart[] {
  const out = [...parts];
  if (out[0]?.kind !== 'WildcardMulti') out.unshift({ kind: 'WildcardMulti' });
  if (out[out.length - 1]?.kind !== 'WildcardMulti') out.push({ kind: 'WildcardMulti' });
  return out;
}

function applyFieldMapping(
  def: FieldTransformation<unknown>,
  item: ProcessingItem,
  target: Target,
  env: ApplyEnv,
): void {
  const track = (src: string, dest: readonly string[]): void => {
    if (dest.length === 1 && dest[0] === src) return;
    const ids = env.fieldApplied.get(src) ?? new Set<string>();
    ids.add(item.id);
    env.fieldApplied.delete(src);
    // One destination takes the set over (nothing else holds it any more); several get copies.
    if (dest.length === 1) env.fieldApplied.set(dest[0]!, ids);
    else for (const d of dest) env.fieldApplied.set(d, new Set(ids));
  };
  // pySigma _apply_field_name: the mapping applies when it has a result and the field-name conditions match.
  const mapName = (field: string): string[] => {
    const r = def.mapField(item.params, field, env);
    if (r === undefined || !matchFieldName(item.fieldNameConditions, field, env)) return [field];
    const list = typeof r === 'string' ? [r] : r;
    track(field, list);
    return list;
  };
  env.fields.splice(0, env.fields.length, ...env.fields.flatMap(mapName));

  if (target.kind === 'Correlation') {
    const c = target.correlation;
    const single = (f: string, where: string): string => {
      const m = mapName(f);
      if (m.length > 1) {
        envError(
          env,
          'TL4103',
          `Field name mapping transformation can't be applied to correlation rule ${where} because it results in multiple field names.`,
        );
      }
      return m[0] ?? f;
    };
    const aliasNames = new Set(Object.keys(c.aliases));
    for (const alias of Object.values(c.aliases)) {
      for (const ref of Object.keys(alias)) alias[ref] = single(alias[ref]!, 'alias mapping');
    }
    c.groupBy = c.groupBy.flatMap((f) => (aliasNames.has(f) ? [f] : mapName(f)));
    if (c.condition.field !== undefined)
      c.condition.field = single(c.condition.field, 'condition field reference');
    return;
  }

  // Most mappings name a few fields: when no field of the rule has a mapping and no value refers to
  // a field, every detection item would be left as it is, so skip identifying them.
  const mayMap = (tree: IrNode): boolean => {
    const t = treeFields(tree, env.itemMemo);
    if (t.fieldRefs) return true;
    if (t.keywords && def.mapField(item.params, undefined, env) !== undefined) return true;
    for (const f of t.fields) if (def.mapField(item.params, f, env) !== undefined) return true;
    return false;
  };
  if (!target.rule.conditions.some(mayMap)) return;
  rewriteRule(target, env, item, (it) => {
    let node = it.node;
    let changed = false;
    // Field references in values (|fieldref) are mapped like field names.
    if (
      it.slots.some(
        (s) => s.value?.kind === 'FieldRef' && matchFieldName(item.fieldNameConditions, s.value.field, env),
      )
    ) {
      const nodes: IrNode[] = [];
      for (const s of it.slots) {
        const v = s.value;
        if (
          v?.kind === 'FieldRef' &&
          isLeaf(s.node) &&
          matchFieldName(item.fieldNameConditions, v.field, env)
        ) {
          const leaf = s.node;
          for (const f of mapName(v.field)) nodes.push({ ...leaf, value: { ...v, field: f } });
        } else nodes.push(s.node);
      }
      node = rebuildItem(it, nodes) ?? node;
      changed = true;
    }
    const mapping = def.mapField(item.params, it.field, env);
    if (mapping !== undefined && matchFieldName(item.fieldNameConditions, it.field, env)) {
      const list = typeof mapping === 'string' ? [mapping] : mapping;
      if (it.field === undefined) {
        // A keyword mapped to a field keeps its substring semantics.
        node = mapLeaves(node, (l) =>
          l.value.kind === 'Str' ? { ...l, value: { ...l.value, parts: wrapWildcards(l.value.parts) } } : l,
        );
      } else {
        let known = env.fieldMappings.get(it.field);
        if (!known) env.fieldMappings.set(it.field, (known = []));
        for (const f of list) if (!known.includes(f)) known.push(f);
        // Deliberate: pySigma tracks only the rule's field list here; tracking item fields too makes
        // field-name processing_item_applied conditions work for detection items.
        track(it.field, list);
      }
      if (list.length === 0) return null;
      const copies = list.map((f) => withField(node, f, item.id));
      node = copies.length === 1 ? copies[0]! : { kind: 'Or', children: copies };
      changed = true;
    }
    return changed ? markApplied(node, item.id) : undefined;
  });
}

/**
 * Fields tested by the rule that no field mapping produced or consumed (what
 * strict_field_mapping_failure rejects): for "unmapped field" reports in backends.
 */
export function unmappedFields(out: ApplyOutput<IrRule>): string[] {
  const targets = new Set(Object.values(out.fieldMappings).flat());
  const seen = new Set<string>();
  const walk = (n: IrNode): void => {
    if (n.kind === 'And' || n.kind === 'Or') n.children.forEach(walk);
    else if (n.kind === 'Not') walk(n.child);
    else if (n.kind === 'FieldMatch' && !(n.field in out.fieldMappings) && !targets.has(n.field))
      seen.add(n.field);
  };
  out.rule.conditions.forEach(walk);
  return [...seen];
}

/** The processing item with this id (nested items included), to say where a rewrite came from. */
export function findItem(pipelines: readonly Pipeline[], id: string): ProcessingItem | undefined {
  const search = (items: readonly ProcessingItem[]): ProcessingItem | undefined => {
    for (const it of items) {
      if (it.id === id) return it;
      if (it.type === 'nest') {
        const nested = (it.params as { items?: ProcessingItem[] }).items;
        const found = nested ? search(nested) : undefined;
        if (found) return found;
      }
    }
    return undefined;
  };
  for (const p of pipelines) {
    const found = search(p.items);
    if (found) return found;
  }
  return undefined;
}
