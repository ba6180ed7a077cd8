/**
 * pySigma transforms *detection items* (one field, a list of values, a value linking), while our IR
 * is a tree of single-value predicates. This module finds the detection items again: a detection
 * item is a maximal subtree whose leaves all come from the same written key (same origin) and test the
 * same field. Lowering gives a multi-value item the shape Or/And over its values, so the children of
 * that node are the item's values; transformations that add or drop values splice them there, which
 * keeps the tree shape pySigma's conversion would produce (printers parenthesize by shape).
 */
import type { IrNode, IrValue, Origin } from '../ir/types.js';

export type Leaf = Extract<IrNode, { kind: 'FieldMatch' | 'Keyword' }>;

/** One value of a detection item: a leaf, or an expansion (windash/base64offset variants). */
export interface Slot {
  node: IrNode;
  /** The leaf's value; undefined for expansions. */
  value?: IrValue;
}

export interface DetectionItem {
  /** Undefined for keywords. */
  field: string | undefined;
  origin: Origin;
  linking: 'and' | 'or';
  slots: Slot[];
  /** The subtree the item occupies. */
  node: IrNode;
  /** Set when the slots are the children of node (a multi-value item). */
  container?: 'And' | 'Or';
}

const expansionModifiers = new Set(['windash', 'base64offset']);

export function isLeaf(node: IrNode): node is Leaf {
  return node.kind === 'FieldMatch' || node.kind === 'Keyword';
}

export function leafField(leaf: Leaf): string | undefined {
  return leaf.kind === 'FieldMatch' ? leaf.field : undefined;
}

/** Per-call identity of origins without spans (IR built in code rather than lowered from YAML). */
export class OriginIds {
  private readonly ids = new WeakMap<Origin, number>();
  private next = 0;
  of(origin: Origin): string {
    if (origin.span) {
      return `${origin.selection ?? ''}\u0000${origin.key ?? ''}\u0000${origin.span.line}:${origin.span.column}`;
    }
    let id = this.ids.get(origin);
    if (id === undefined) {
      id = this.next++;
      this.ids.set(origin, id);
    }
    return `#${id}`;
  }
}

function leafKey(leaf: Leaf, ids: OriginIds): string {
  return `${leaf.kind}\u0000${leafField(leaf) ?? ''}\u0000${ids.of(leaf.origin)}`;
}

/** The key shared by all leaves under node, or null. Not and Const never belong to an item. */
function groupKey(node: IrNode, ids: OriginIds): string | null {
  switch (node.kind) {
    case 'FieldMatch':
    case 'Keyword':
      return leafKey(node, ids);
    case 'And':
    case 'Or': {
      if (node.children.length === 0) return null;
      let key: string | null = null;
      for (const c of node.children) {
        const k = groupKey(c, ids);
        if (k === null || (key !== null && k !== key)) return null;
        key = k;
      }
      return key;
    }
    case 'Not':
    case 'Const':
      return null;
  }
}

export function firstLeaf(node: IrNode): Leaf | undefined {
  if (isLeaf(node)) return node;
  if (node.kind === 'And' || node.kind === 'Or') {
    for (const c of node.children) {
      const l = firstLeaf(c);
      if (l) return l;
    }
  }
  if (node.kind === 'Not') return firstLeaf(node.child);
  return undefined;
}

export function leaves(node: IrNode, out: Leaf[] = []): Leaf[] {
  if (isLeaf(node)) out.push(node);
  else if (node.kind === 'And' || node.kind === 'Or') for (const c of node.children) leaves(c, out);
  else if (node.kind === 'Not') leaves(node.child, out);
  return out;
}

function makeItem(node: IrNode): DetectionItem {
  const leaf = firstLeaf(node)!;
  const mods = leaf.origin.modifiers ?? [];
  const expands = mods.some((m) => expansionModifiers.has(m));
  const base = { field: leafField(leaf), origin: leaf.origin, node };
  const linking: 'and' | 'or' = mods.includes('all') ? 'and' : 'or';
  if (isLeaf(node)) return { ...base, linking, slots: [{ node, value: node.value }] };
  if ((node.kind === 'And' || node.kind === 'Or') && !(expands && node.children.every(isLeaf))) {
    return {
      ...base,
      linking: node.kind === 'And' ? 'and' : 'or',
      container: node.kind,
      slots: node.children.map((c) => (isLeaf(c) ? { node: c, value: c.value } : { node: c })),
    };
  }
  return { ...base, linking, slots: [{ node }] };
}

/** Rebuild an item's subtree from new slot nodes: one value stands alone, several are linked. */
export function rebuildItem(item: DetectionItem, slotNodes: IrNode[]): IrNode | null {
  if (slotNodes.length === 0) return null;
  if (slotNodes.length === 1) return slotNodes[0]!;
  return { kind: item.container ?? (item.linking === 'and' ? 'And' : 'Or'), children: slotNodes };
}

/** Whether every leaf under node comes from one selection: node is inside one detection. */
function withinOneSelection(node: IrNode): boolean {
  const ls = leaves(node);
  if (ls.length === 0) return false;
  const sel = ls[0]!.origin.selection;
  return ls.every((l) => l.origin.selection === sel);
}

/**
 * Rewrite every detection item under node. fn returns a replacement subtree, null to drop the item,
 * or undefined to keep it. Inside a detection, pySigma removes dropped items and a detection left
 * with one item is that item; a detection left empty stays referenced by the condition and converts
 * to nothing, which we represent as a Const (the neutral element of the enclosing And/Or, so the
 * engine agrees with what the printers emit). A subtree dropped entirely returns null.
 */
export function rewriteItems(
  node: IrNode,
  ids: OriginIds,
  fn: (item: DetectionItem) => IrNode | null | undefined,
): IrNode | null {
  if (node.kind === 'Const') return node;
  if (node.kind !== 'Not' && groupKey(node, ids) !== null) {
    const r = fn(makeItem(node));
    return r === undefined ? node : r;
  }
  if (node.kind === 'Not') {
    const c = rewriteItems(node.child, ids, fn);
    if (c === null) return null;
    return c === node.child ? node : { kind: 'Not', child: c };
  }
  if (node.kind === 'And' || node.kind === 'Or') {
    let changed = false;
    let dropped = false;
    const results: (IrNode | null)[] = [];
    for (const c of node.children) {
      const r = rewriteItems(c, ids, fn);
      if (r !== c) changed = true;
      if (r === null) dropped = true;
      results.push(r);
    }
    if (!changed) return node;
    if (!dropped) return { kind: node.kind, children: results as IrNode[] };
    if (withinOneSelection(node)) {
      const kept = results.filter((r): r is IrNode => r !== null);
      if (kept.length === 0) return null;
      if (kept.length === 1) return kept[0]!;
      return { kind: node.kind, children: kept };
    }
    const neutral: IrNode = { kind: 'Const', value: node.kind === 'And' };
    return { kind: node.kind, children: results.map((r) => r ?? neutral) };
  }
  return node;
}

/** Visit every detection item (read-only). */
export function forEachItem(node: IrNode, ids: OriginIds, fn: (item: DetectionItem) => boolean | void): boolean {
  let stop = false;
  rewriteItems(node, ids, (item) => {
    if (!stop && fn(item) === true) stop = true;
    return undefined;
  });
  return stop;
}

/** Rebuild node with every leaf origin passed through f, once per distinct origin object. */
function mapOrigins(node: IrNode, f: (o: Origin) => Origin, leafFn?: (l: Leaf, o: Origin) => IrNode): IrNode {
  const seen = new Map<Origin, Origin>();
  const origin = (o: Origin): Origin => {
    let n = seen.get(o);
    if (!n) {
      n = f(o);
      seen.set(o, n);
    }
    return n;
  };
  const go = (n: IrNode): IrNode => {
    switch (n.kind) {
      case 'FieldMatch':
      case 'Keyword':
        return leafFn ? leafFn(n, origin(n.origin)) : { ...n, origin: origin(n.origin) };
      case 'And':
      case 'Or':
        return { kind: n.kind, children: n.children.map(go) };
      case 'Not':
        return { kind: 'Not', child: go(n.child) };
      case 'Const':
        return n;
    }
  };
  return go(node);
}

/** Copy a subtree with another field and fresh origins, so provenance stays per field. */
export function withField(node: IrNode, field: string, appliedBy: string): IrNode {
  return mapOrigins(
    node,
    (o) => ({ ...o, appliedBy: addOnce(o.appliedBy, appliedBy) }),
    (l, origin) => ({ kind: 'FieldMatch', field, value: l.value, origin }),
  );
}

/** Mark every leaf under node as changed by item id. */
export function markApplied(node: IrNode, id: string): IrNode {
  return mapOrigins(node, (o) => (o.appliedBy?.includes(id) ? o : { ...o, appliedBy: addOnce(o.appliedBy, id) }));
}

function addOnce(list: readonly string[] | undefined, id: string): string[] {
  if (!list) return [id];
  return list.includes(id) ? [...list] : [...list, id];
}
