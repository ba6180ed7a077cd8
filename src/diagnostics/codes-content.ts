import type { CodeInfo } from './catalog.js';

/** content diagnostics: TL8xxx. */
export const contentCodes = {
  TL8000: { severity: 'error', title: 'internal content error (please report)' },
} as const satisfies Record<string, CodeInfo>;
