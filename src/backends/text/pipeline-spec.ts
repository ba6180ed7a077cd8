/**
 * The shape of a processing pipeline written as plain data in pySigma's YAML vocabulary, as the
 * built-in pipelines of the targets ship it (the object `loadPipelineObject` of src/pipeline reads).
 * Only the subset the built-in target pipelines use is typed here; `custom` items carry code the
 * pipeline runner calls through its context.
 */
import type { IrNode, IrRule } from '../../ir/types.js';

export type PipelineCondition =
  | { type: 'logsource'; category?: string; product?: string; service?: string }
  | { type: 'contains_detection_item'; field: string; value: string }
  | { type: 'is_sigma_rule' }
  | { type: 'state'; key: string; val: unknown }
  | { type: 'include_fields'; fields: string | string[]; mode?: 'plain' | 'regex' }
  | { type: 'exclude_fields'; fields: string | string[]; mode?: 'plain' | 'regex' }
  | { type: 'match_string'; cond: 'any' | 'all'; pattern: string; negate?: boolean };

export type PipelineTransformation =
  | { type: 'field_name_mapping'; mapping: Record<string, string | string[]> }
  | { type: 'field_name_prefix_mapping'; mapping: Record<string, string> }
  | { type: 'add_condition'; conditions: Record<string, string | number | (string | number)[]> }
  | { type: 'change_logsource'; category?: string; product?: string; service?: string }
  | { type: 'detection_item_failure'; message: string }
  | { type: 'rule_failure'; message: string }
  | { type: 'drop_detection_item' }
  | { type: 'replace_string'; regex: string; replacement: string }
  | { type: 'map_string'; mapping: Record<string, string | string[]> }
  | { type: 'set_state'; key: string; val: unknown }
  | {
      type: 'custom';
      /** Name for provenance and docs. */
      name: string;
      /** Rewrites one detection item (field = value); null drops it. */
      leaf?: (node: Extract<IrNode, { kind: 'FieldMatch' }>, rule: IrRule) => IrNode | null;
      /** Rewrites the rule; a string fails the conversion with that message. */
      rule?: (rule: IrRule, state: Record<string, unknown>) => IrRule | string;
    };

export interface PipelineItem {
  id?: string;
  transformation: PipelineTransformation;
  rule_conditions?: PipelineCondition[];
  rule_cond_op?: 'and' | 'or';
  rule_cond_not?: boolean;
  field_name_conditions?: PipelineCondition[];
  field_name_cond_op?: 'and' | 'or';
  field_name_cond_not?: boolean;
  detection_item_conditions?: PipelineCondition[];
  detection_item_cond_op?: 'and' | 'or';
  detection_item_cond_not?: boolean;
}

export interface PipelineSpec {
  name: string;
  priority?: number;
  /** Backends this pipeline is meant for (pySigma allowed_backends). */
  allowedBackends?: string[];
  transformations: PipelineItem[];
}
