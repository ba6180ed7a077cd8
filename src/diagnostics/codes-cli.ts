import type { CodeInfo } from './catalog.js';

/** Command line: TL9xxx. */
export const cliCodes = {
  TL9000: { severity: 'error', title: 'internal error (please report)' },
  TL9001: { severity: 'error', title: 'unknown command' },
  TL9002: { severity: 'error', title: 'invalid command-line arguments' },
  TL9003: { severity: 'error', title: 'input path not found or unreadable' },
  TL9004: { severity: 'error', title: 'invalid option value' },
  TL9005: { severity: 'warning', title: 'a worker thread failed; its work was done on the main thread' },
} as const satisfies Record<string, CodeInfo>;
