/**
 * Value edits shared by the kusto pipelines: registry hive abbreviations, Sysmon EventType →
 * ActionType values, the Hashes field split per algorithm, and dropping an item by field name.
 */
import type { IrNode, StrPart } from '../../../ir/types.js';
import type { FieldMatch } from '../ir-edit.js';
import { editItems, editLeaves, hasField, plainValue, replaceInParts, strLeaf } from '../ir-edit.js';
import type { PipelineStep, StepContext } from './runner.js';

/** Sysmon abbreviates hives; the tables spell them out (the CurrentControlSet rule must come first). */
const HIVES: readonly (readonly [RegExp, string])[] = [
  [/^HKLM\\SYSTEM\\CurrentControlSet/i, 'HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet001'],
  [/^HKLM/i, 'HKEY_LOCAL_MACHINE'],
  [/^HKU/i, 'HKEY_USERS'],
  [/^HKCR/i, 'HKEY_LOCAL_MACHINE\\CLASSES'],
];

/**
 * Replace hive abbreviations in the values of the given fields. `fieldsFirst` applies to the first
 * rule only (the reference's sentinel_asim lists PreviousRegistryKey there and RegistryPreviousKey in
 * the others; kept for byte compatibility).
 */
export function registryHives(
  fields: readonly string[],
  fieldsFirst: readonly string[] = fields,
): PipelineStep {
  const any = [...new Set([...fields, ...fieldsFirst])];
  return (node) => {
    if (!hasField(node, any)) return node;
    let out: IrNode | null = node;
    HIVES.forEach(([re, replacement], i) => {
      const applies = i === 0 ? fieldsFirst : fields;
      if (out === null) return;
      out = editLeaves(out, (leaf) => {
        if (!applies.includes(leaf.field) || leaf.value.kind !== 'Str') return leaf;
        return {
          ...leaf,
          value: { ...leaf.value, parts: replaceInParts(leaf.value.parts, re, replacement) },
        };
      });
    });
    return out;
  };
}

function sameParts(a: readonly StrPart[], b: readonly StrPart[]): boolean {
  return a.length === b.length && a.every((p, i) => JSON.stringify(p) === JSON.stringify(b[i]));
}

const ACTION_TYPES: Readonly<Record<string, readonly string[]>> = {
  CreateKey: ['RegistryKeyCreated'],
  DeleteKey: ['RegistryKeyDeleted', 'RegistryValueDeleted'],
  SetValue: ['RegistryValueSet'],
  RenameKey: ['RegistryValueSet', 'RegistryKeyCreated'],
};

/** Sysmon registry EventType values → DeviceRegistryEvents ActionType values. */
export function registryActionTypes(field: string): PipelineStep {
  return (node) =>
    !hasField(node, [field])
      ? node
      : editLeaves(node, (leaf) => {
          if (leaf.field !== field) return leaf;
          const plain = plainValue(leaf);
          if (plain === null) return leaf;
          const mapped = ACTION_TYPES[plain] ?? [plain];
          return { values: mapped.map((v) => strLeaf(leaf.field, v, leaf.origin)) };
        });
}

export function dropField(field: string, when: (ctx: StepContext) => boolean = () => true): PipelineStep {
  return (node, ctx) =>
    when(ctx) && hasField(node, [field])
      ? editLeaves(node, (leaf) => (leaf.field === field ? null : leaf))
      : node;
}

/**
 * The Hashes field (`MD5=…,SHA1=…` in Sysmon) as one field per algorithm: each value `ALGO=hash` or
 * `ALGO|hash` goes to prefix+ALGO; a bare value is told by its length. Values of unknown algorithms
 * are dropped; an item with none known fails the rule, as in the reference.
 */
export interface HashesOptions {
  algos: readonly string[];
  /** New field name: prefix + algorithm (or the prefix alone with dropAlgo). */
  prefix: string;
  /** Field holding the hashes (default Hashes). */
  field?: string;
  dropAlgo?: boolean;
  when?: (ctx: StepContext) => boolean;
}

export function hashesStep(o: HashesOptions): PipelineStep {
  const validAlgos = o.algos;
  return (node, ctx) => {
    if ((o.when && !o.when(ctx)) || !hasField(node, [o.field ?? 'Hashes'])) return node;
    return editItems(
      node,
      (f) => f === (o.field ?? 'Hashes'),
      (values) => {
        const byField = new Map<string, string[]>();
        let known = false;
        for (const leaf of values) {
          const plain = plainValue(leaf) ?? '';
          let pair = plain.split('|');
          if (pair.length === 1) pair = plain.split('=');
          let algo: string;
          let hash: string;
          if (pair.length === 2) {
            const a = (pair[0] ?? '').replace(/^\*+/, '').toUpperCase();
            algo = validAlgos.includes(a) ? a : '';
            hash = pair[1] ?? '';
          } else {
            hash = pair[0] ?? '';
            algo = { 32: 'MD5', 40: 'SHA1', 64: 'SHA256', 128: 'SHA512' }[hash.length] ?? '';
          }
          if (algo) known = true;
          const field = algo ? o.prefix + (o.dropAlgo ? '' : algo) : '';
          const list = byField.get(field) ?? [];
          list.push(hash);
          byField.set(field, list);
        }
        if (!known) {
          ctx.diagnostics.push({
            code: 'TL5010',
            severity: 'error',
            message: `no known hash algorithm in the Hashes field; use one of ${validAlgos.join(', ')}`,
            file: ctx.rule.file,
            ...(values[0]?.origin.span ? { span: values[0].origin.span } : {}),
          });
          return null;
        }
        const items: IrNode[] = [];
        for (const [field, hashes] of byField) {
          if (!field) continue;
          const origin = { ...(values[0]?.origin ?? {}), key: field };
          const leaves: FieldMatch[] = hashes.map((h) => strLeaf(field, h, origin));
          items.push(leaves.length === 1 ? (leaves[0] as IrNode) : { kind: 'Or', children: leaves });
        }
        if (items.length === 0) return null;
        return items.length === 1 ? (items[0] ?? null) : { kind: 'Or', children: items };
      },
    );
  };
}
