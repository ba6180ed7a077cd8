/**
 * Worker thread for reading several files in parallel: receives file paths, answers with batches
 * of output lines and, per file, its diagnostics. Started by parallel.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { DumpFormat } from './lines.js';
import { recordLine } from './lines.js';
import { readEvtx } from './reader.js';
import type { WorkerReply, WorkerRequest } from './parallel.js';

const { format, recover } = workerData as { format: DumpFormat; recover: boolean };
const BATCH_CHARS = 1 << 20;

parentPort?.on('message', (msg: WorkerRequest) => {
  const port = parentPort;
  if (!port) return;
  const result = readEvtx(msg.path, { recover, file: msg.name });
  let text = '';
  try {
    for (const rec of result.records) {
      text += recordLine(rec, format);
      if (text.length >= BATCH_CHARS) {
        port.postMessage({ kind: 'lines', file: msg.name, text } satisfies WorkerReply);
        text = '';
      }
    }
  } catch (e) {
    result.diagnostics.push({
      code: 'TL7000',
      severity: 'error',
      message: `internal error while reading: ${(e as Error).message}`,
      file: msg.name,
    });
  }
  if (text !== '') port.postMessage({ kind: 'lines', file: msg.name, text } satisfies WorkerReply);
  port.postMessage({ kind: 'done', file: msg.name, diagnostics: result.diagnostics } satisfies WorkerReply);
});
