/** A stable, compact text form of the IR, for golden tests and `--explain` output. */
import type { IrNode, IrValue, StrPart } from './types.js';

export function printValue(v: IrValue): string {
  switch (v.kind) {
    case 'Str':
      return (v.cased ? 'cased:' : '') + JSON.stringify(v.parts.map(partText).join(''));
    case 'Num':
      return v.raw;
    case 'Bool':
      return String(v.value);
    case 'Null':
      return 'null';
    case 'Re':
      return `/${v.pattern}/${v.flags.i ? 'i' : ''}${v.flags.m ? 'm' : ''}${v.flags.s ? 's' : ''}`;
    case 'Cidr':
      return `cidr(${v.cidr})`;
    case 'Compare':
      return `${v.op}(${v.raw})`;
    case 'Exists':
      return `exists(${String(v.value)})`;
    case 'FieldRef':
      return `fieldref(${v.field}${v.parts ? `,${v.parts}` : ''})`;
    case 'TimePart':
      return `${v.part}(${v.value})`;
    case 'QueryExpr':
      return `expr(${v.id})`;
  }
}

function partText(p: StrPart): string {
  switch (p.kind) {
    case 'Lit':
      return p.text.replace(/[*?\\]/g, (c) => '\\' + c);
    case 'WildcardMulti':
      return '*';
    case 'WildcardSingle':
      return '?';
    case 'Placeholder':
      return `%${p.name}%`;
  }
}

export function printIr(n: IrNode): string {
  switch (n.kind) {
    case 'And':
      return `and(${n.children.map(printIr).join(', ')})`;
    case 'Or':
      return `or(${n.children.map(printIr).join(', ')})`;
    case 'Not':
      return `not(${printIr(n.child)})`;
    case 'FieldMatch':
      return `${n.field}=${printValue(n.value)}`;
    case 'Keyword':
      return `keyword(${printValue(n.value)})`;
    case 'Const':
      return String(n.value);
  }
}
