/**
 * `tripline convert` over many files and targets, split across worker threads.
 *
 * Files are cut into chunks; the main thread and N-1 workers take chunks from a shared counter
 * (Atomics on a SharedArrayBuffer, so no thread waits for another to hand out work). Each thread
 * reads, parses and converts its chunks to every target, lowering each rule once. The main thread
 * then puts the per-file results back in input order and assembles each target's output exactly as
 * one single-threaded run would (Converter.assemble).
 *
 * Correlations may refer to rules in other files, hence in other chunks: when the input has any,
 * the files holding correlations and the rules they name are converted once more together, in the
 * main thread, and their results replace the chunked ones. That set is small (a correlation names a
 * few rules), so the cost is negligible next to the run.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { lookupTactic, lookupTechnique } from '../attack/index.js';
import type { ConvertOptions, DocResult } from '../backends/convert.js';
import { Converter, RuleCache } from '../backends/convert.js';
import type { Diagnostic } from '../diagnostics/index.js';
import type { SigmaFile } from '../sigma/ast.js';
import { parseSigmaText } from '../sigma/parse.js';

/** ConvertOptions without the functions (they cannot cross to a worker); `withAttack` adds them. */
export type PlainConvertOptions = Omit<ConvertOptions, 'attack'>;

export function withAttack(opts: PlainConvertOptions): ConvertOptions {
  return {
    ...opts,
    attack: {
      tacticId: (shortname) => lookupTactic(shortname)?.id,
      techniqueName: (id) => lookupTechnique(id)?.name,
    },
  };
}

/** One input file's outcome, for every target. */
export interface FileOutcome {
  file: string;
  /** Parse errors and unreadable-file errors (conversion diagnostics are in `docs`). */
  errors: Diagnostic[];
  /** The file gave no document at all. */
  empty: boolean;
  /** The file's text, kept only when some diagnostic points into it (for code frames). */
  text?: string;
  /** Ids and names of its documents, and the rules its correlations name. */
  names: string[];
  refs: string[];
  /** Per target (in the order given), the results of the file's documents. */
  docs: DocResult[][];
}

export interface ParallelRun {
  files: FileOutcome[];
  /** Worker threads that failed (their chunks were converted on the main thread instead). */
  workerErrors: string[];
  /** Per target: the converter (format, setup diagnostics) and the assembled output. */
  targets: { converter: Converter; docs: DocResult[]; output: string[] | string }[];
}

/** Converters for each target, created once per thread. */
export function createConverters(targets: readonly PlainConvertOptions[]): Converter[] {
  return targets.map((t) => {
    const c = Converter.create(withAttack(t));
    // The main thread creates the same converters first and stops on failure.
    if (!c.ok) throw new Error(`converter for ${t.target} failed in a worker`);
    return c.value;
  });
}

/** readFileSync's options, made once: a string option is copied into a new object on every call. */
const UTF8 = { encoding: 'utf8', flag: 'r' } as const;

/** Read, parse and convert some files to every target, as one collection. */
export function convertChunk(paths: readonly string[], converters: readonly Converter[]): FileOutcome[] {
  const outcomes: FileOutcome[] = [];
  const parsed: SigmaFile[] = [];
  const texts = new Map<string, string>();
  for (const file of paths) {
    const o: FileOutcome = { file, errors: [], empty: false, names: [], refs: [], docs: [] };
    outcomes.push(o);
    let text: string;
    try {
      text = readFileSync(file, UTF8);
    } catch (e) {
      o.errors.push({
        code: 'TL9003',
        severity: 'error',
        message: `cannot read file: ${(e as Error).message}`,
        file,
      });
      o.empty = true;
      continue;
    }
    const p = parseSigmaText(text, file);
    texts.set(file, text);
    parsed.push(p.file);
    o.errors = p.diagnostics.filter((d) => d.severity === 'error');
    o.empty = p.file.documents.length === 0;
    for (const d of p.file.documents) {
      if (d.kind === 'Correlation') o.refs.push(...d.rules);
      if (d.id) o.names.push(d.id);
      if (d.name) o.names.push(d.name);
    }
  }
  const cache = new RuleCache(converters);
  const byFile = new Map(outcomes.map((o) => [o.file, o]));
  for (const conv of converters) {
    const run = conv.convertFiles(parsed, cache);
    for (const o of outcomes) o.docs.push([]);
    for (const d of run.docs) byFile.get(d.file)?.docs.at(-1)?.push(d);
  }
  for (const o of outcomes) {
    const pointed = o.errors.length > 0 || o.docs.some((ds) => ds.some((d) => d.diagnostics.length > 0));
    const text = texts.get(o.file);
    if (pointed && text !== undefined) o.text = text;
  }
  return outcomes;
}

/** Messages from a worker: one per chunk it converted. */
export interface ChunkMessage {
  chunk: number;
  outcomes: FileOutcome[];
}

export interface WorkerInput {
  files: string[];
  chunkSize: number;
  targets: PlainConvertOptions[];
  counter: SharedArrayBuffer;
}

/** Take chunks from the shared counter until none are left; `done` receives each. */
export function drainChunks(
  input: WorkerInput,
  converters: readonly Converter[],
  done: (chunk: number, outcomes: FileOutcome[]) => void,
): void {
  const counter = new Int32Array(input.counter);
  const chunks = Math.ceil(input.files.length / input.chunkSize);
  for (let i = Atomics.add(counter, 0, 1); i < chunks; i = Atomics.add(counter, 0, 1)) {
    done(i, convertChunk(input.files.slice(i * input.chunkSize, (i + 1) * input.chunkSize), converters));
  }
}

/** Below this many files a second thread costs more (its start-up) than it saves. */
const PARALLEL_MIN_FILES = 200;
/**
 * Threads only pay with cores to spare: a cold run keeps V8's compiler and GC threads busy beside
 * each JavaScript thread. On 2 cores, 2 threads were slower than 1 (corpus, all targets: 6.6 s vs
 * 5.9 s wall, 11.4 s vs 8.4 s CPU), so the default stays single-threaded there.
 */
const PARALLEL_MIN_CORES = 4;
/**
 * Single-threaded runs go chunk by chunk too: a chunk's syntax trees die young once it is converted,
 * where one chunk of every file kept them all alive through the run (corpus to splunk, -j 1: 1.35 s
 * vs 1.5 s wall, peak RSS 120 vs 163 MB).
 */
const CHUNK_SIZE = 48;

export function defaultJobs(files: number): number {
  const cores = availableParallelism();
  return files < PARALLEL_MIN_FILES || cores < PARALLEL_MIN_CORES ? 1 : Math.min(4, cores);
}

/**
 * Convert `files` to every target with `jobs` threads (the main thread counts as one).
 * `converters` were created by the caller from `targets` (so setup errors are the caller's).
 */
export async function convertParallel(
  files: readonly string[],
  targets: readonly PlainConvertOptions[],
  converters: readonly Converter[],
  jobs: number,
): Promise<ParallelRun> {
  const nChunks = Math.ceil(files.length / CHUNK_SIZE);
  const results: (FileOutcome[] | undefined)[] = new Array<FileOutcome[] | undefined>(nChunks);
  const input: WorkerInput = {
    files: [...files],
    chunkSize: CHUNK_SIZE,
    targets: [...targets],
    counter: new SharedArrayBuffer(4),
  };
  const workers: Promise<void>[] = [];
  const workerErrors: string[] = [];
  for (let w = 1; w < Math.min(jobs, nChunks); w++) {
    workers.push(
      new Promise<void>((resolve) => {
        const worker = new Worker(new URL('./convert-worker.js', import.meta.url), { workerData: input });
        worker.on('message', (m: ChunkMessage) => (results[m.chunk] = m.outcomes));
        // A worker that dies loses only its chunk in flight: the main thread redoes missing chunks.
        worker.on('error', (e) => {
          workerErrors.push(e.message);
          resolve();
        });
        worker.on('exit', () => resolve());
      }),
    );
  }
  drainChunks(input, converters, (i, outcomes) => (results[i] = outcomes));
  await Promise.all(workers);
  for (let i = 0; i < nChunks; i++) {
    results[i] ??= convertChunk(files.slice(i * CHUNK_SIZE, (i + 1) * CHUNK_SIZE), converters);
  }
  const outcomes = results.flatMap((r) => r ?? []);
  if (nChunks > 1) regroupCorrelations(outcomes, converters);
  return {
    files: outcomes,
    workerErrors,
    targets: converters.map((converter, t) => {
      const docs = outcomes.flatMap((o) => o.docs[t] ?? []);
      return { converter, docs, output: converter.assemble(docs) };
    }),
  };
}

/** Convert correlations together with the rules they name, whatever chunk each landed in. */
function regroupCorrelations(outcomes: FileOutcome[], converters: readonly Converter[]): void {
  const refs = new Set(outcomes.flatMap((o) => o.refs));
  if (refs.size === 0) return;
  const group = outcomes.filter((o) => o.refs.length > 0 || o.names.some((n) => refs.has(n)));
  const redone = convertChunk(
    group.map((o) => o.file),
    converters,
  );
  const byFile = new Map(redone.map((o) => [o.file, o]));
  for (let i = 0; i < outcomes.length; i++) {
    const r = byFile.get(outcomes[i]!.file);
    if (r) outcomes[i] = r;
  }
}
