import type { CodeInfo } from './catalog.js';

/** pipeline diagnostics: TL4xxx. 40xx loading a pipeline, 41xx applying one, 42xx finding one. */
export const pipelineCodes = {
  TL4000: { severity: 'error', title: 'internal pipeline error (please report)' },
  TL4001: { severity: 'error', title: 'pipeline YAML syntax error' },
  TL4002: { severity: 'error', title: 'pipeline document is not a mapping or has an unknown key' },
  TL4003: { severity: 'error', title: 'unknown transformation type' },
  TL4004: { severity: 'error', title: 'missing or invalid transformation parameter' },
  TL4005: { severity: 'error', title: 'unknown processing condition type' },
  TL4006: { severity: 'error', title: 'missing or invalid processing condition parameter' },
  TL4007: {
    severity: 'error',
    title: 'invalid condition expression or condition linking (rule_cond_expr, rule_cond_op, …)',
  },
  TL4008: { severity: 'error', title: 'unknown or invalid postprocessing item or finalizer' },
  TL4009: { severity: 'error', title: 'invalid pipeline attribute (name, priority, vars, …)' },
  TL4101: { severity: 'error', title: 'rule_failure: the pipeline rejects this rule' },
  TL4102: { severity: 'error', title: 'detection_item_failure: the pipeline rejects a detection item' },
  TL4103: { severity: 'error', title: 'a transformation cannot be applied to this rule' },
  TL4104: { severity: 'error', title: 'postprocessing or finalizer cannot be applied' },
  TL4105: { severity: 'error', title: 'strict_field_mapping_failure: a field was not mapped' },
  TL4201: { severity: 'error', title: 'pipeline not found' },
  TL4202: { severity: 'warning', title: 'pipeline is not meant for this target' },
} as const satisfies Record<string, CodeInfo>;
