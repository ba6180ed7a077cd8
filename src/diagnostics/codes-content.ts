import type { CodeInfo } from './catalog.js';

/** content diagnostics: TL8xxx. */
export const contentCodes = {
  TL8000: { severity: 'error', title: 'internal content error (please report)' },
  TL8001: { severity: 'error', title: 'content file cannot be read' },
  TL8002: { severity: 'error', title: "unknown key (custom keys must start with 'x_')" },
  TL8003: { severity: 'error', title: 'required key missing' },
  TL8004: { severity: 'error', title: 'value has the wrong type' },
  TL8005: { severity: 'error', title: 'value not allowed' },
  TL8006: { severity: 'error', title: 'value has the wrong format (UUID, date, pattern)' },
  TL8010: { severity: 'error', title: "detection file has no 'tripline:' block" },
  TL8011: { severity: 'error', title: "more than one 'tripline:' block in a detection file" },
  TL8012: { severity: 'error', title: 'unknown analytic story' },
  TL8013: { severity: 'error', title: 'unknown data source' },
  TL8014: { severity: 'error', title: 'dataset file not found or unreadable' },
  TL8015: { severity: 'error', title: 'dataset line is not a JSON object' },
  TL8016: { severity: 'error', title: 'ATT&CK technique not in the pinned ATT&CK table' },
  TL8017: { severity: 'warning', title: "ATT&CK technique does not belong to any of the rule's tactics" },
  TL8018: { severity: 'warning', title: 'detection has no ATT&CK technique tag' },
  TL8019: { severity: 'error', title: 'detection lacks a positive or a negative test' },
  TL8020: { severity: 'error', title: 'test expects an enrichment flag the detection does not define' },
  TL8021: { severity: 'error', title: 'duplicate id or name in the content set' },
  TL8022: { severity: 'error', title: 'invalid enrichment selection' },
  TL8023: { severity: 'warning', title: "atomic test's technique is not among the detection's tags" },
  TL8024: { severity: 'error', title: 'atomic test GUID not found in the Atomic Red Team index' },
  TL8025: { severity: 'error', title: 'malformed ATT&CK tag' },
  TL8026: {
    severity: 'error',
    title: 'test is inconsistent (no events, both events and dataset, or bad count)',
  },
  TL8027: {
    severity: 'warning',
    title: "detection type does not fit the rule (e.g. 'Correlation' on a plain rule)",
  },
  TL8028: { severity: 'error', title: 'content directory not found' },
  TL8029: { severity: 'warning', title: 'atomic test name differs from the Atomic Red Team index' },
  TL8030: { severity: 'error', title: 'Sigma part of the detection is missing required keys' },
} as const satisfies Record<string, CodeInfo>;
