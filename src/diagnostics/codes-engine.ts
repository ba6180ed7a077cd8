import type { CodeInfo } from './catalog.js';

/** engine diagnostics: TL6xxx. */
export const engineCodes = {
  TL6000: { severity: 'error', title: 'internal engine error (please report)' },
} as const satisfies Record<string, CodeInfo>;
