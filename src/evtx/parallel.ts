/**
 * Several files in parallel on worker threads, one file per worker at a time. Lines of one file
 * stay in order; lines of different files may interleave (every line names its file).
 */
import { Worker } from 'node:worker_threads';
import type { Diagnostic } from '../diagnostics/index.js';
import type { DumpFormat } from './lines.js';

/** A file to read and the name to report it under. */
export interface EvtxInput {
  path: string;
  name: string;
}

export type WorkerRequest = EvtxInput;

export type WorkerReply =
  { kind: 'lines'; file: string; text: string } | { kind: 'done'; file: string; diagnostics: Diagnostic[] };

export interface ParallelDumpOptions {
  format: DumpFormat;
  recover: boolean;
  /** Worker threads to start (at most one per file). */
  jobs: number;
}

/**
 * Dump `files` as JSON Lines using worker threads; `sink` receives batches of lines (awaited,
 * so a slow consumer slows the workers down instead of filling memory). Resolves with every
 * diagnostic, in file order.
 */
export async function dumpEvtxParallel(
  files: readonly EvtxInput[],
  opts: ParallelDumpOptions,
  sink: (text: string) => Promise<void> | void,
): Promise<Diagnostic[]> {
  const byFile = new Map<string, Diagnostic[]>();
  let next = 0;
  const jobs = Math.max(1, Math.min(opts.jobs, files.length));
  const run = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const worker = new Worker(new URL('./worker.js', import.meta.url), {
        workerData: { format: opts.format, recover: opts.recover },
      });
      let chain = Promise.resolve();
      const feed = (): void => {
        const file = files[next++];
        if (file === undefined) {
          void chain.then(() => worker.terminate()).then(() => resolve(), reject);
          return;
        }
        worker.postMessage(file satisfies WorkerRequest);
      };
      worker.on('message', (msg: WorkerReply) => {
        if (msg.kind === 'lines') {
          chain = chain.then(() => sink(msg.text));
        } else {
          byFile.set(msg.file, msg.diagnostics);
          chain = chain.then(feed);
        }
      });
      worker.on('error', reject);
      feed();
    });
  await Promise.all(Array.from({ length: jobs }, run));
  return files.flatMap((f) => byFile.get(f.name) ?? []);
}
