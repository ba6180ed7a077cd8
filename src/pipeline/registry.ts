/**
 * Finding pipelines by name and adding transformation types, without global mutable state: built-in
 * pipeline tables and extra transformation types travel in the context object a caller builds.
 * Backends export their tables (`{ splunk_windows: definePipeline(...) }`); the CLI merges them.
 */
import { fail, type Diagnostic, type Result } from '../diagnostics/index.js';
import type { PipelineContext } from './apply.js';
import { loadPipelineObject, loadPipelineYaml, type LoadOptions } from './loader.js';
import type { TransformationDef } from './transformation-def.js';
import type { Pipeline } from './types.js';
import { sysmonPipeline } from './builtins/sysmon.js';

export interface BuiltinPipeline {
  /** Targets the pipeline is meant for (e.g. ['splunk']); empty for any. */
  targets: readonly string[];
  description: string;
  /** Build the pipeline; options come from `name(key=value, …)` (e.g. query_table='X'). */
  load(options?: Readonly<Record<string, unknown>>, loadOptions?: LoadOptions): Result<Pipeline>;
}

export type BuiltinTable = Readonly<Record<string, BuiltinPipeline>>;

/**
 * A built-in pipeline from plain data (the pySigma YAML structure as a TS object literal), or from
 * a function of the options when the pipeline is parameterised.
 */
export function definePipeline(
  meta: { targets: readonly string[]; description: string },
  /** The pipeline object, or a function of the options that returns it. */
  data: unknown,
): BuiltinPipeline {
  return {
    ...meta,
    load: (options = {}, loadOptions = {}) => {
      const obj: unknown =
        typeof data === 'function'
          ? (data as (o: Readonly<Record<string, unknown>>) => unknown)(options)
          : data;
      return loadPipelineObject(obj, '<builtin>', loadOptions);
    },
  };
}

/** Pipelines that belong to no target. Backends keep theirs in their own folders. */
export const builtinPipelines: BuiltinTable = {
  sysmon: definePipeline(
    { targets: [], description: 'generic Windows log sources to Sysmon event ids (pySigma-pipeline-sysmon)' },
    sysmonPipeline,
  ),
};

/** Merge pipeline tables; later tables win on equal names. */
export function combineBuiltins(...tables: readonly BuiltinTable[]): BuiltinTable {
  return Object.assign({}, ...tables) as BuiltinTable;
}

/** A context with one more transformation type (a new object; ctx is not changed). */
export function registerTransformation(
  ctx: PipelineContext,
  type: string,
  def: TransformationDef,
): PipelineContext {
  return { ...ctx, transformations: { ...ctx.transformations, [type]: def } };
}

export interface ResolveContext extends PipelineContext {
  /** Built-in pipelines to search (backends' tables merged with builtinPipelines). */
  builtins?: BuiltinTable;
  /** Reads a pipeline file; the CLI passes one, a browser bundle need not. Undefined: not found. */
  readFile?: (path: string) => string | undefined;
}

/** Parse `name(key='value', flag=False, n=3)` as sigma-cli / the reference test-suites write them. */
export function parsePipelineRef(
  ref: string,
): { name: string; options: Record<string, unknown> } | undefined {
  const m = /^([\w.-]+)\s*(?:\((.*)\))?$/s.exec(ref.trim());
  if (!m) return undefined;
  const options: Record<string, unknown> = {};
  const args = m[2]?.trim() ?? '';
  if (args !== '') {
    const re = /\s*(\w+)\s*=\s*('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[^,]+?)\s*(?:,|$)/gy;
    let pos = 0;
    while (pos < args.length) {
      re.lastIndex = pos;
      const a = re.exec(args);
      if (!a) return undefined;
      pos = re.lastIndex;
      const raw = a[2]!;
      let v: unknown = raw;
      if (/^['"]/.test(raw)) v = raw.slice(1, -1).replace(/\\(.)/g, '$1');
      else if (raw === 'True' || raw === 'true') v = true;
      else if (raw === 'False' || raw === 'false') v = false;
      else if (raw === 'None') v = null;
      else if (/^-?\d+(?:\.\d+)?$/.test(raw)) v = Number(raw);
      options[a[1]!] = v;
    }
  }
  return { name: m[1]!, options };
}

function looksLikePath(s: string): boolean {
  return /\.ya?ml$/i.test(s) || s.includes('/') || s.includes('\\');
}

/** A built-in pipeline by name (with optional `(key=value)` options), else a YAML file by path. */
export function resolvePipeline(nameOrPath: string, ctx: ResolveContext = {}): Result<Pipeline> {
  const builtins = ctx.builtins ?? builtinPipelines;
  const loadOptions: LoadOptions = ctx.transformations ? { transformations: ctx.transformations } : {};
  const ref = looksLikePath(nameOrPath) ? undefined : parsePipelineRef(nameOrPath);
  const builtin = ref ? builtins[ref.name] : undefined;
  if (ref && builtin) {
    const r = builtin.load(ref.options, loadOptions);
    if (!r.ok) return r;
    return { ...r, value: { ...r.value, name: ref.name } };
  }
  const text = ctx.readFile?.(nameOrPath);
  if (text !== undefined) return loadPipelineYaml(text, nameOrPath, loadOptions);
  const names = Object.keys(builtins).sort();
  const d: Diagnostic = {
    code: 'TL4201',
    severity: 'error',
    message:
      `pipeline '${nameOrPath}' is neither a built-in pipeline nor a readable file` +
      (names.length > 0 ? `; built-in pipelines: ${names.join(', ')}` : ''),
  };
  return fail(d);
}
