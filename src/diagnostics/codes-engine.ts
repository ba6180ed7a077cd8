import type { CodeInfo } from './catalog.js';

/** engine diagnostics: TL6xxx. */
export const engineCodes = {
  TL6000: { severity: 'error', title: 'internal engine error (please report)' },
  TL6001: { severity: 'error', title: 'rule uses a construct the engine cannot evaluate' },
  TL6002: { severity: 'error', title: 'placeholder not defined in the placeholders file' },
  TL6003: {
    severity: 'error',
    title: 'regular expression rejected: it may backtrack catastrophically (nested quantifiers)',
  },
  TL6004: { severity: 'error', title: 'regular expression not valid in JavaScript' },
  TL6005: {
    severity: 'info',
    title: 'logsource not routable to Windows channels: rule applies to events without a channel only',
  },
  TL6006: { severity: 'warning', title: 'filter names a rule that is not loaded' },
  TL6007: { severity: 'error', title: 'correlation references a rule that is not loaded' },
  TL6008: { severity: 'warning', title: 'corrupt event (not valid JSON or not an object): skipped' },
  TL6009: { severity: 'error', title: 'event file unreadable or in an unsupported format' },
  TL6010: { severity: 'error', title: 'placeholders file invalid' },
  TL6011: {
    severity: 'warning',
    title: 'event later than the out-of-order bound: correlation windows may miss it',
  },
  TL6012: { severity: 'info', title: 'event without a readable timestamp: not used by correlations' },
} as const satisfies Record<string, CodeInfo>;
