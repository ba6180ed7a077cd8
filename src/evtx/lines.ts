import type { EvtxRecord } from './reader.js';

export type DumpFormat = 'json' | 'xml';

/**
 * One JSON Lines row of `tripline evtx dump`:
 * `{"file", "record_id", "timestamp", "event" | "xml"}`, plus `"recovered": true` for carved records.
 * record_id is written from the exact integer, even past 2^53.
 */
export function recordLine(rec: EvtxRecord, format: DumpFormat): string {
  const head = `{"file":${JSON.stringify(rec.file)},"record_id":${String(rec.recordId)},"timestamp":"${rec.timestamp}"`;
  const body = format === 'xml' ? `"xml":${JSON.stringify(rec.xml)}` : `"event":${rec.eventJson}`;
  return `${head},${body}${rec.recovered ? ',"recovered":true' : ''}}\n`;
}
