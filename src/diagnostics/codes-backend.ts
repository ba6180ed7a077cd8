import type { CodeInfo } from './catalog.js';

/** backend diagnostics: TL5xxx. */
export const backendCodes = {
  TL5000: { severity: 'error', title: 'internal backend error (please report)' },
} as const satisfies Record<string, CodeInfo>;
