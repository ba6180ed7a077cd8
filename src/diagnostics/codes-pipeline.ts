import type { CodeInfo } from './catalog.js';

/** pipeline diagnostics: TL4xxx. */
export const pipelineCodes = {
  TL4000: { severity: 'error', title: 'internal pipeline error (please report)' },
} as const satisfies Record<string, CodeInfo>;
