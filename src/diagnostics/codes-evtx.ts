import type { CodeInfo } from './catalog.js';

/** evtx diagnostics: TL7xxx. Offsets in the diagnostic point at the byte in the file. */
export const evtxCodes = {
  TL7000: { severity: 'error', title: 'internal evtx error (please report)' },
  TL7001: { severity: 'error', title: 'cannot read the file' },
  TL7002: { severity: 'error', title: 'not an EVTX file (bad file header magic)' },
  TL7003: { severity: 'warning', title: 'file header checksum mismatch' },
  TL7004: { severity: 'warning', title: 'unsupported EVTX format version' },
  TL7005: { severity: 'info', title: 'file was not cleanly closed (dirty flag set)' },
  TL7006: { severity: 'warning', title: 'file is truncated' },
  TL7010: { severity: 'warning', title: 'bad chunk magic: chunk skipped' },
  TL7011: { severity: 'warning', title: 'chunk header checksum mismatch' },
  TL7012: { severity: 'warning', title: 'chunk event records checksum mismatch' },
  TL7013: { severity: 'warning', title: 'chunk free-space offset out of range' },
  TL7020: { severity: 'warning', title: 'bad event record header: skipped to the next record' },
  TL7021: { severity: 'warning', title: 'event record could not be decoded: record skipped' },
  TL7022: { severity: 'info', title: 'records recovered from chunk slack space' },
} as const satisfies Record<string, CodeInfo>;
