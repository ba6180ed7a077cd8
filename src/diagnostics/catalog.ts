import type { Severity } from './diagnostic.js';
import { sigmaCodes } from './codes-sigma.js';
import { pipelineCodes } from './codes-pipeline.js';
import { backendCodes } from './codes-backend.js';
import { engineCodes } from './codes-engine.js';
import { evtxCodes } from './codes-evtx.js';
import { contentCodes } from './codes-content.js';
import { cliCodes } from './codes-cli.js';

export interface CodeInfo {
  /** Default severity; a caller may raise or lower it (e.g. --strict). */
  severity: Severity;
  /** One line: what the code means, for docs/diagnostics.md. */
  title: string;
}

export const catalog = {
  ...sigmaCodes,
  ...pipelineCodes,
  ...backendCodes,
  ...engineCodes,
  ...evtxCodes,
  ...contentCodes,
  ...cliCodes,
} as const satisfies Record<string, CodeInfo>;

export type DiagnosticCode = keyof typeof catalog;

export function codeInfo(code: DiagnosticCode): CodeInfo {
  return catalog[code];
}
