import type { CodeInfo } from './catalog.js';

/** backend diagnostics: TL5xxx. */
export const backendCodes = {
  TL5000: { severity: 'error', title: 'internal backend error (please report)' },
  TL5001: { severity: 'error', title: 'unsupported by target: <feature>' },
  TL5002: { severity: 'warning', title: 'field not mapped by any pipeline for this target' },
  TL5003: { severity: 'error', title: 'placeholder left unhandled by the pipelines' },
  TL5004: {
    severity: 'warning',
    title: 'correlation semantics differ on this target (e.g. fixed time bins, not sliding windows)',
  },
  TL5005: { severity: 'error', title: 'unknown target' },
  TL5006: { severity: 'error', title: 'unknown output format for this target' },
  TL5007: { severity: 'error', title: 'invalid backend option' },
  TL5008: { severity: 'error', title: 'correlation refers to a rule that is not in the input' },
  TL5009: { severity: 'error', title: 'value cannot be used here (e.g. boolean or CIDR keyword)' },
  TL5010: { severity: 'error', title: 'the pipeline requested a conversion failure' },
} as const satisfies Record<string, CodeInfo>;
