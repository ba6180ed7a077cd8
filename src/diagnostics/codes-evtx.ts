import type { CodeInfo } from './catalog.js';

/** evtx diagnostics: TL7xxx. */
export const evtxCodes = {
  TL7000: { severity: 'error', title: 'internal evtx error (please report)' },
} as const satisfies Record<string, CodeInfo>;
