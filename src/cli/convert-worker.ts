/** Worker thread of `tripline convert`: converts chunks until the shared counter runs out. */
import { parentPort, workerData } from 'node:worker_threads';
import type { ChunkMessage, WorkerInput } from './convert-run.js';
import { createConverters, drainChunks } from './convert-run.js';

const input = workerData as WorkerInput;
const converters = createConverters(input.targets);
drainChunks(input, converters, (chunk, outcomes) => {
  parentPort?.postMessage({ chunk, outcomes } satisfies ChunkMessage);
});
