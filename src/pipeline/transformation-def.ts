/**
 * The shape of a transformation type. Four scopes cover pySigma's class hierarchy:
 * - rule: sees the whole rule or correlation (change_logsource, set_state, add_condition, …);
 * - item: sees each detection item that passes the item's detection-item and field-name conditions
 *   and returns a replacement subtree, null to drop it, undefined to keep it (drop_detection_item, …);
 * - value: sees each value of such items and returns replacement values (replace_string, …);
 * - field: maps field names, in detection items, field references, the rule's field list and
 *   correlation group-by/aliases (field_name_mapping, field_name_prefix, …).
 * Backends add their own types the same way (see registerTransformation in registry.ts).
 */
import type { IrNode, IrValue } from '../ir/types.js';
import type { DetectionItem } from './detection-items.js';
import type { ApplyEnv, Target } from './env.js';
import type { ParamReader } from './params.js';

export interface RuleTransformation<P> {
  scope: 'rule';
  parse(r: ParamReader): P;
  apply(p: P, target: Target, env: ApplyEnv): void;
}

export interface ItemTransformation<P> {
  scope: 'item';
  parse(r: ParamReader): P;
  applyItem(p: P, item: DetectionItem, env: ApplyEnv): IrNode | null | undefined;
}

export interface ValueTransformation<P> {
  scope: 'value';
  parse(r: ParamReader): P;
  /**
   * What to do with expansions (windash/base64offset variant groups), which pySigma holds as one
   * SigmaExpansion value: skip them (string transformations), replace them whole, or map each variant.
   */
  expansions: 'skip' | 'replace' | 'map';
  /** Replacement values, or undefined to keep the value as it is. */
  applyValue(p: P, value: IrValue, field: string | undefined, env: ApplyEnv): IrValue[] | undefined;
}

export interface FieldTransformation<P> {
  scope: 'field';
  parse(r: ParamReader): P;
  /** New name(s) for field (undefined: keyword), or undefined to leave it. */
  mapField(p: P, field: string | undefined, env: ApplyEnv): string | string[] | undefined;
}

export type TransformationDef<P = unknown> =
  RuleTransformation<P> | ItemTransformation<P> | ValueTransformation<P> | FieldTransformation<P>;

/** Erase P for storage in a table (parse and apply of one entry agree on it). */
export function defineTransformation<P>(def: TransformationDef<P>): TransformationDef {
  return def;
}
