/**
 * Worker thread entry: converts chunks of (item, target) jobs for buildCatalogueParallel. Each item's
 * source text is parsed here again (parsed documents do not cross threads); the results are plain
 * data and go back keyed by cache key.
 */
import { parentPort } from 'node:worker_threads';
import type { SigmaDocument } from '../sigma/index.js';
import { parseSigmaText } from '../sigma/index.js';
import type { ConversionJob, WorkerItem } from './catalogue.js';
import { runJobs } from './catalogue.js';
import { ATTACK } from './items.js';
import type { ConvertInput } from './convert-target.js';
import { ConverterPool } from './convert-target.js';

export interface ConvertRequest {
  id: number;
  jobs: ConversionJob[];
  items: [number, WorkerItem][];
}

const pool = new ConverterPool(ATTACK);

parentPort?.on('message', (msg: ConvertRequest) => {
  const items = new Map(msg.items);
  const parsed = new Map<number, readonly SigmaDocument[]>();
  const inputOf = (i: number): ConvertInput => {
    const w = items.get(i);
    if (!w) throw new Error(`internal: item ${i} was not sent to the conversion worker`);
    let documents = parsed.get(i);
    if (!documents) {
      documents = parseSigmaText(w.source, w.file).file.documents;
      parsed.set(i, documents);
    }
    return { ...w.input, documents };
  };
  const results = runJobs(msg.jobs, inputOf, pool);
  parentPort?.postMessage({ id: msg.id, results: [...results] });
});
