/**
 * Edits of an IR rule that the kusto pipelines make, in pySigma's detection-item terms: a
 * "detection item" is a leaf, or the Or (And with `|all`) of one key's values that lowering built.
 * Edits keep the tree shape the reference would have after its transformations, because the
 * printer parenthesizes by shape: a selection left with one item loses its And, a value that
 * becomes several values joins its item's value list.
 */
import type { IrNode, Origin, StrPart } from '../../ir/types.js';
import { parseSigmaString, plainText } from '../../ir/strings.js';

export type FieldMatch = Extract<IrNode, { kind: 'FieldMatch' }>;

/** What an edit of one leaf yields: the leaf (changed or not), several values of it, a subtree, or nothing. */
export type LeafEdit = FieldMatch | { values: FieldMatch[] } | { node: IrNode } | null;

function sameItem(a: Origin, b: Origin): boolean {
  return (
    a.selection === b.selection &&
    a.key === b.key &&
    a.span?.line === b.span?.line &&
    a.span?.column === b.span?.column
  );
}

/** The leaves of one detection item's value list, when the node is one. */
export function itemValues(node: IrNode): FieldMatch[] | null {
  if (node.kind !== 'Or' && node.kind !== 'And') return null;
  const first = node.children[0];
  if (first?.kind !== 'FieldMatch') return null;
  const leaves: FieldMatch[] = [];
  for (const c of node.children) {
    if (c.kind !== 'FieldMatch' || c.field !== first.field || !sameItem(c.origin, first.origin)) return null;
    leaves.push(c);
  }
  return leaves;
}

/**
 * Rewrite every leaf. Dropped leaves vanish; an And/Or that lost children and keeps one collapses
 * to it (as pySigma builds a one-item detection without an AND), and one that keeps none vanishes.
 */
export function editLeaves(node: IrNode, edit: (leaf: FieldMatch) => LeafEdit): IrNode | null {
  switch (node.kind) {
    case 'FieldMatch': {
      const r = edit(node);
      if (r === null) return null;
      if ('values' in r)
        return r.values.length === 1 ? (r.values[0] ?? null) : { kind: 'Or', children: r.values };
      if ('node' in r) return r.node;
      return r;
    }
    case 'Keyword':
    case 'Const':
      return node;
    case 'Not': {
      const c = editLeaves(node.child, edit);
      if (c === node.child) return node;
      return c === null ? null : { kind: 'Not', child: c };
    }
    case 'And':
    case 'Or': {
      const isValueList = itemValues(node) !== null;
      const children: IrNode[] = [];
      let dropped = false;
      let changed = false;
      for (const child of node.children) {
        if (child.kind === 'FieldMatch' && isValueList) {
          const r = edit(child);
          if (r !== child) changed = true;
          if (r === null) dropped = true;
          else if ('values' in r) children.push(...r.values);
          else if ('node' in r) children.push(r.node);
          else children.push(r);
          continue;
        }
        const c = editLeaves(child, edit);
        if (c !== child) changed = true;
        if (c === null) dropped = true;
        else children.push(c);
      }
      // Unchanged subtrees are shared, not copied: most edits touch few fields.
      if (!changed) return node;
      return rebuilt(node, children, dropped);
    }
  }
}

/** The selection every leaf under the node comes from, or null when they come from several. */
function soleSelection(node: IrNode): string | null | undefined {
  let sel: string | null | undefined;
  walkLeaves(node, (leaf) => {
    const s = leaf.origin.selection ?? '';
    if (sel === undefined) sel = s;
    else if (sel !== s) sel = null;
  });
  return sel;
}

/**
 * An And/Or after some children were dropped. Within one selection the reference rebuilds the
 * detection, so one remaining item stands alone; an operator of the condition keeps its shape (and
 * the remaining operand keeps its parentheses).
 */
function rebuilt(
  node: Extract<IrNode, { kind: 'And' | 'Or' }>,
  children: IrNode[],
  dropped: boolean,
): IrNode | null {
  if (children.length === 0) return null;
  if (dropped && children.length === 1 && typeof soleSelection(node) === 'string') return children[0] ?? null;
  return { kind: node.kind, children };
}

/** Rewrite every detection item (a value list as a whole, or a lone leaf) whose field passes the test. */
export function editItems(
  node: IrNode,
  test: (field: string) => boolean,
  edit: (values: FieldMatch[], listKind: 'And' | 'Or') => IrNode | null,
): IrNode | null {
  const values = itemValues(node);
  if (values && (node.kind === 'And' || node.kind === 'Or') && test(values[0]?.field ?? '')) {
    return edit(values, node.kind);
  }
  switch (node.kind) {
    case 'FieldMatch':
      return test(node.field) ? edit([node], 'Or') : node;
    case 'Keyword':
    case 'Const':
      return node;
    case 'Not': {
      const c = editItems(node.child, test, edit);
      if (c === node.child) return node;
      return c === null ? null : { kind: 'Not', child: c };
    }
    case 'And':
    case 'Or': {
      const children: IrNode[] = [];
      let dropped = false;
      let changed = false;
      for (const child of node.children) {
        const c = editItems(child, test, edit);
        if (c !== child) changed = true;
        if (c === null) dropped = true;
        else children.push(c);
      }
      if (!changed) return node;
      return rebuilt(node, children, dropped);
    }
  }
}

export function walkLeaves(node: IrNode, visit: (leaf: FieldMatch) => void): void {
  switch (node.kind) {
    case 'FieldMatch':
      visit(node);
      return;
    case 'Not':
      walkLeaves(node.child, visit);
      return;
    case 'And':
    case 'Or':
      for (const c of node.children) walkLeaves(c, visit);
      return;
    default:
      return;
  }
}

/** A new leaf with a plain string value re-read as Sigma text (pySigma's `SigmaString(plain)`). */
export function strLeaf(field: string, text: string, origin: Origin): FieldMatch {
  return {
    kind: 'FieldMatch',
    field,
    value: { kind: 'Str', cased: false, parts: parseSigmaString(text) },
    origin,
  };
}

/** to_plain() of a leaf's value, or null when it is not a string or number. */
export function plainValue(leaf: FieldMatch): string | null {
  const v = leaf.value;
  if (v.kind === 'Str') return plainText(v.parts);
  if (v.kind === 'Num') return v.raw;
  return null;
}

/**
 * Replace a regular expression in a value (ReplaceStringTransformation). The reference replaces in
 * the plain text and reads the result back as Sigma text, so a literal backslash before a wildcard
 * turns the wildcard into a literal character (and `\\` into one backslash) even where nothing
 * matched; reproduced for byte compatibility, listed in docs/targets/kusto.md.
 */
export function replaceInParts(parts: readonly StrPart[], re: RegExp, replacement: string): StrPart[] {
  if (parts.some((p) => p.kind === 'Placeholder')) return [...parts];
  let text = '';
  for (const p of parts) {
    if (p.kind === 'Lit') text += p.text.replace(/[*?]/g, '\\$&');
    else text += p.kind === 'WildcardMulti' ? '*' : '?';
  }
  return parseSigmaString(text.replace(re, replacement));
}

/** Whether any leaf of the tree has one of the fields (a cheap test before an edit walks it). */
export function hasField(node: IrNode, fields: readonly string[]): boolean {
  switch (node.kind) {
    case 'FieldMatch':
      return fields.includes(node.field);
    case 'Not':
      return hasField(node.child, fields);
    case 'And':
    case 'Or':
      return node.children.some((c) => hasField(c, fields));
    default:
      return false;
  }
}
