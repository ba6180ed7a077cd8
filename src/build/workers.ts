/**
 * The conversion worker seen from the main thread. Started before the inputs are read, so its module
 * loading and converter setup overlap the parsing; closed when the catalogue is built.
 */
import { Worker } from 'node:worker_threads';
import type { ConversionJob, ConversionWorker, WorkerItem } from './catalogue.js';
import type { TargetResult } from './model.js';

export class ConvertWorkerHandle implements ConversionWorker {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: (r: Map<string, TargetResult>) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private failed: Error | undefined;

  constructor() {
    this.worker = new Worker(new URL('./build-worker.js', import.meta.url));
    this.worker.on('message', (m: { id: number; results: [string, TargetResult][] }) => {
      const w = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      w?.resolve(new Map(m.results));
    });
    this.worker.on('error', (e) => this.fail(e));
    this.worker.on('exit', (code) => this.fail(new Error(`conversion worker exited with code ${code}`)));
  }

  private fail(e: Error): void {
    this.failed ??= e;
    for (const w of this.waiting.values()) w.reject(e);
    this.waiting.clear();
  }

  convert(jobs: readonly ConversionJob[], items: ReadonlyMap<number, WorkerItem>): Promise<Map<string, TargetResult>> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, jobs, items: [...items] });
    });
  }

  async close(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }
}
