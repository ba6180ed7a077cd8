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

/**
 * Leaves belong to the same detection item when they share the origin object (lowering makes one
 * Origin per written key and transformations keep it shared within an item), the kind and the field.
 */
function sameItem(a: Leaf, b: Leaf): boolean {
  return a.origin === b.origin && a.kind === b.kind && leafField(a) === leafField(b);
}

/** A leaf standing for the item node is, or null. Not and Const never belong to an item. */
function itemRep(node: IrNode, memo: ItemMemo): Leaf | null {
  if (node.kind === 'FieldMatch' || node.kind === 'Keyword') return node;
  if (node.kind !== 'And' && node.kind !== 'Or') return null;
  const known = memo.reps.get(node);
  if (known !== undefined) return known;
  let rep: Leaf | null = null;
  for (const c of node.children) {
    const r = itemRep(c, memo);
    if (r === null || (rep !== null && !sameItem(r, rep))) {
      rep = null;
      break;
    }
    rep = r;
  }
  memo.reps.set(node, rep);
  return rep;
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

/** Whether some leaf under node satisfies pred (leaves() without building the list). */
export function someLeaf(node: IrNode, pred: (l: Leaf) => boolean): boolean {
  switch (node.kind) {
    case 'FieldMatch':
    case 'Keyword':
      return pred(node);
    case 'And':
    case 'Or':
      for (const c of node.children) if (someLeaf(c, pred)) return true;
      return false;
    case 'Not':
      return someLeaf(node.child, pred);
    case 'Const':
      return false;
  }
}

/** Whether processing item id changed some leaf under node (processing_item_applied conditions). */
export function appliedTo(node: IrNode, id: string): boolean {
  switch (node.kind) {
    case 'FieldMatch':
    case 'Keyword':
      return node.origin.appliedBy?.includes(id) ?? false;
    case 'And':
    case 'Or':
      for (const c of node.children) if (appliedTo(c, id)) return true;
      return false;
    case 'Not':
      return appliedTo(node.child, id);
    case 'Const':
      return false;
  }
}

function makeItem(node: IrNode, leaf: Leaf): DetectionItem {
  const mods = leaf.origin.modifiers;
  const field = leaf.kind === 'FieldMatch' ? leaf.field : undefined;
  let linking: 'and' | 'or' = mods !== undefined && mods.includes('all') ? 'and' : 'or';
  if (node.kind === 'FieldMatch' || node.kind === 'Keyword') {
    return { field, origin: leaf.origin, linking, slots: [{ node, value: node.value }], node };
  }
  let container: 'And' | 'Or' | undefined;
  let slots: Slot[];
  const expands = mods !== undefined && mods.some((m) => expansionModifiers.has(m));
  if ((node.kind === 'And' || node.kind === 'Or') && !(expands && node.children.every(isLeaf))) {
    container = node.kind;
    linking = node.kind === 'And' ? 'and' : 'or';
    slots = [];
    for (const c of node.children) {
      slots.push(c.kind === 'FieldMatch' || c.kind === 'Keyword' ? { node: c, value: c.value } : { node: c });
    }
  } else {
    slots = [{ node }];
  }
  const item: DetectionItem = { field, origin: leaf.origin, linking, slots, node };
  if (container) item.container = container;
  return item;
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
 * Which item each And/Or node is, and the DetectionItem made for a node. Nodes are immutable, so
 * one memo serves a whole apply call, where every item-level transformation visits the same
 * items again. Plain Maps: they live only as long as that call, and are much cheaper to make and
 * query than WeakMaps, which a conversion would otherwise create for every rule.
 */
export interface ItemMemo {
  reps: Map<IrNode, Leaf | null>;
  items: Map<IrNode, DetectionItem>;
  trees: Map<IrNode, TreeFields>;
}

export function newItemMemo(): ItemMemo {
  return { reps: new Map(), items: new Map(), trees: new Map() };
}

/** The fields a condition tree tests: what most processing conditions ask before anything else. */
export interface TreeFields {
  /** Distinct fields of the tree's FieldMatch leaves. */
  fields: Set<string>;
  keywords: boolean;
  /** Some value refers to a field (|fieldref). */
  fieldRefs: boolean;
}

/** The fields of a condition tree, worked out once per tree and apply call. */
export function treeFields(tree: IrNode, memo: ItemMemo): TreeFields {
  let t = memo.trees.get(tree);
  if (!t) {
    const out: TreeFields = { fields: new Set(), keywords: false, fieldRefs: false };
    const walk = (n: IrNode): void => {
      switch (n.kind) {
        case 'FieldMatch':
          out.fields.add(n.field);
          if (n.value.kind === 'FieldRef') out.fieldRefs = true;
          return;
        case 'Keyword':
          out.keywords = true;
          if (n.value.kind === 'FieldRef') out.fieldRefs = true;
          return;
        case 'And':
        case 'Or':
          for (const c of n.children) walk(c);
          return;
        case 'Not':
          walk(n.child);
          return;
        case 'Const':
          return;
      }
    };
    walk(tree);
    t = out;
    memo.trees.set(tree, t);
  }
  return t;
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
  fn: (item: DetectionItem) => IrNode | null | undefined,
  memo: ItemMemo = newItemMemo(),
): IrNode | null {
  return rewrite(node, fn, memo);
}

function rewrite(
  node: IrNode,
  fn: (item: DetectionItem) => IrNode | null | undefined,
  memo: ItemMemo,
): IrNode | null {
  if (node.kind === 'Const') return node;
  const rep = itemRep(node, memo);
  if (rep !== null) {
    let item = memo.items.get(node);
    if (item === undefined) {
      item = makeItem(node, rep);
      memo.items.set(node, item);
    }
    const r = fn(item);
    return r === undefined ? node : r;
  }
  if (node.kind === 'Not') {
    const c = rewrite(node.child, fn, memo);
    if (c === null) return null;
    return c === node.child ? node : { kind: 'Not', child: c };
  }
  if (node.kind === 'And' || node.kind === 'Or') {
    let dropped = false;
    let results: (IrNode | null)[] | undefined;
    const cs = node.children;
    for (let i = 0; i < cs.length; i++) {
      const c = cs[i]!;
      const r = rewrite(c, fn, memo);
      if (r !== c && results === undefined) results = cs.slice(0, i);
      if (r === null) dropped = true;
      results?.push(r);
    }
    if (results === undefined) return node;
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

/** Rebuild node with every leaf origin passed through f, once per distinct origin object. */
function mapOrigins(node: IrNode, f: (o: Origin) => Origin, leafFn?: (l: Leaf, o: Origin) => IrNode): IrNode {
  // Most subtrees hold one origin (one detection item): remember the last one before using a Map.
  let lastIn: Origin | undefined;
  let lastOut: Origin | undefined;
  let seen: Map<Origin, Origin> | undefined;
  const origin = (o: Origin): Origin => {
    if (o === lastIn) return lastOut!;
    let n = seen?.get(o);
    if (!n) {
      n = f(o);
      if (lastIn !== undefined) (seen ??= new Map()).set(lastIn, lastOut!);
      seen?.set(o, n);
    }
    lastIn = o;
    lastOut = n;
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
  // Field mappings hand over copies already marked (withField); copying them again changes nothing.
  if (!someLeaf(node, (l) => !(l.origin.appliedBy?.includes(id) ?? false))) return node;
  return mapOrigins(node, (o) =>
    o.appliedBy?.includes(id) ? o : { ...o, appliedBy: addOnce(o.appliedBy, id) },
  );
}

function addOnce(list: readonly string[] | undefined, id: string): string[] {
  if (!list) return [id];
  return list.includes(id) ? [...list] : [...list, id];
}
