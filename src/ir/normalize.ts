/** A flattened, simplified copy of an IR tree for evaluation: nested same-kind And/Or merged, Const folded. */
import type { IrNode } from './types.js';

export function normalize(n: IrNode): IrNode {
  switch (n.kind) {
    case 'And':
    case 'Or': {
      const kids: IrNode[] = [];
      for (const c of n.children) {
        const x = normalize(c);
        if (x.kind === n.kind) kids.push(...x.children);
        else if (x.kind === 'Const') {
          if (x.value === (n.kind === 'Or')) return x; // true in Or, false in And decides
        } else kids.push(x);
      }
      if (kids.length === 0) return { kind: 'Const', value: n.kind === 'And' };
      return kids.length === 1 ? kids[0]! : { kind: n.kind, children: kids };
    }
    case 'Not': {
      const c = normalize(n.child);
      if (c.kind === 'Const') return { kind: 'Const', value: !c.value };
      if (c.kind === 'Not') return c.child;
      return { kind: 'Not', child: c };
    }
    default:
      return n;
  }
}
