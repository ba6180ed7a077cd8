import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Diagnostic, Result } from '../../diagnostics/index.js';
import { compareDiagnostics, fail, hasErrors, ok, renderText } from '../../diagnostics/index.js';
import type { PipelineRef } from '../../backends/convert.js';
import { Converter } from '../../backends/convert.js';
import { getTarget, listTargets } from '../../backends/registry.js';
import { walkFiles } from '../../util/files.js';
import type { PlainConvertOptions } from '../convert-run.js';
import { convertParallel, defaultJobs, withAttack } from '../convert-run.js';
import type { CliIO, Command, OptionValues } from '../command.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, flag, str, strs, write } from '../command.js';

const USAGE =
  'convert -t TARGET[,TARGET…|all] [-p PIPELINE]… [--without-pipeline] [-f FORMAT] [-O key=value]… [--json | -o DIR] [--pretty] [--strict] [-j N] PATH…';

function usageError(io: CliIO, message: string): number {
  write(io.stderr, `error TL9002: ${message}\n\nUsage: tripline ${USAGE}`);
  return EXIT_USAGE;
}

function listing(io: CliIO, values: OptionValues): boolean {
  const named = targetNames(values);
  if (flag(values, 'list-targets')) {
    for (const t of listTargets()) write(io.stdout, `${t.name.padEnd(20)} ${t.description}`);
    return true;
  }
  if (flag(values, 'list-formats') || flag(values, 'list-pipelines')) {
    const ts = named.length > 0 ? named.map(getTarget).filter((t) => t !== undefined) : listTargets();
    for (const t of ts) {
      if (flag(values, 'list-formats')) {
        for (const [name, d] of Object.entries(t.formats)) {
          write(
            io.stdout,
            `${t.name.padEnd(15)} ${name.padEnd(17)} ${d}${name === t.defaultFormat ? ' (default)' : ''}`,
          );
        }
      } else {
        for (const [name, p] of Object.entries(t.pipelines)) {
          const dflt = t.defaultPipelines.includes(name) ? ' (default)' : '';
          write(io.stdout, `${t.name.padEnd(15)} ${name.padEnd(28)} ${p.description}${dflt}`);
        }
      }
    }
    return true;
  }
  return false;
}

export const convertCommand: Command = {
  name: 'convert',
  usage: USAGE,
  description: [
    'PATH may be files or folders (searched recursively for *.yml and *.yaml); all documents are converted',
    'as one collection, so a correlation may refer to rules in other files.',
    '',
    "Without -p the target's usual default pipeline applies (splunk: splunk_windows); -p replaces it and",
    'may be repeated (a built-in name or a pipeline YAML file); --without-pipeline applies none.',
    'Default output is byte-compatible with the pySigma backends; --pretty writes one clause per line.',
    'Anything the target cannot express is an error naming the feature (TL5001); nothing is dropped.',
    '',
    'Output: plain queries, one per line (a rule with several conditions gives several), or with --json one',
    'JSON object per rule: {"path","id","target","format","output":[…]} or {"path","id","target","error":{"code","message"}}.',
    'Several targets (-t splunk,kusto or -t all) convert in one run, parsing each rule once; they need --json',
    '(lines carry the target) or -o DIR (one file per target: DIR/splunk.txt, DIR/elastic-lucene.kibana_ndjson.ndjson…).',
    'Large inputs are split across worker threads (-j; default: one per core, up to 4, on machines with 4 or more',
    'cores and from 200 files; 1 otherwise). The output is the same whatever the number of threads.',
    'Diagnostics go to stderr. Exit status: 0 all converted, 1 some rule failed, 2 usage error.',
  ].join('\n'),
  options: {
    target: {
      type: 'string',
      short: 't',
      multiple: true,
      arg: 'TARGET',
      description: "target SIEM (see --list-targets); several: comma-separated or repeated, or 'all'",
    },
    pipeline: {
      type: 'string',
      short: 'p',
      multiple: true,
      arg: 'PIPELINE',
      description: 'built-in pipeline name or pipeline YAML file',
    },
    'without-pipeline': { type: 'boolean', description: "apply no pipeline, not even the target's default" },
    format: { type: 'string', short: 'f', arg: 'FORMAT', description: 'output format (see --list-formats)' },
    option: {
      type: 'string',
      short: 'O',
      multiple: true,
      arg: 'KEY=VALUE',
      description: 'backend option, e.g. -O min_time=-7d',
    },
    json: { type: 'boolean', description: 'JSON Lines, one object per rule and target' },
    'output-dir': {
      type: 'string',
      short: 'o',
      arg: 'DIR',
      description: "write each target's output to a file in DIR instead of stdout",
    },
    jobs: {
      type: 'string',
      short: 'j',
      arg: 'N',
      description:
        'threads to convert with (default: one per core up to 4 on ≥ 4 cores, from 200 files; else 1)',
    },
    pretty: { type: 'boolean', description: 'multi-line queries, one clause per line, groups indented' },
    strict: { type: 'boolean', description: 'fields the target does not know are errors, not warnings' },
    'list-targets': { type: 'boolean', description: 'list targets and exit' },
    'list-formats': { type: 'boolean', description: 'list output formats (of -t TARGET, or all) and exit' },
    'list-pipelines': {
      type: 'boolean',
      description: 'list built-in pipelines (of -t TARGET, or all) and exit',
    },
  },
  examples: [
    'tripline convert -t splunk rules/windows/process_creation/',
    'tripline convert -t splunk --pretty rules/windows/builtin/security/win_security_susp_lsass_dump.yml',
    'tripline convert -t splunk -p splunk_windows -p splunk_sysmon_acceleration rules/',
    'tripline convert -t splunk -f data_model rules/windows/process_creation/',
    'tripline convert -t splunk -f savedsearches -O min_time=-7d rules/ > savedsearches.conf',
    'tripline convert -t splunk --json rules/ | jq -r .output[]',
    'tripline convert -t all -o queries/ rules/',
    'tripline convert -t kusto,elastic-eql --json rules/windows/ > queries.jsonl',
    'tripline convert --list-targets',
  ],
  async run(io, values, positionals) {
    if (listing(io, values)) return EXIT_OK;
    const targets = targetNames(values);
    if (targets.length === 0) return usageError(io, 'give a target with -t (see --list-targets)');
    const unknown = targets.filter((t) => !getTarget(t));
    if (unknown.length > 0) {
      return usageError(io, `unknown target '${unknown.join("', '")}' (see --list-targets)`);
    }
    if (positionals.length === 0) return usageError(io, 'give at least one file or folder to convert');
    const json = flag(values, 'json');
    const outDir = str(values, 'output-dir');
    if (json && outDir !== undefined) return usageError(io, 'give either --json or -o DIR, not both');
    if (targets.length > 1 && !json && outDir === undefined) {
      return usageError(io, 'several targets need --json or -o DIR (one output file per target)');
    }
    const jobsText = str(values, 'jobs');
    const jobsGiven = jobsText === undefined ? undefined : Number(jobsText);
    if (jobsGiven !== undefined && !(Number.isInteger(jobsGiven) && jobsGiven >= 1)) {
      return usageError(io, `--jobs takes a whole number ≥ 1 (got '${jobsText ?? ''}')`);
    }
    const options: Record<string, string> = {};
    for (const kv of strs(values, 'option')) {
      const eq = kv.indexOf('=');
      if (eq <= 0) return usageError(io, `-O takes key=value (got '${kv}')`);
      options[kv.slice(0, eq)] = kv.slice(eq + 1);
    }
    const pipelineFiles = new Map<string, string>();
    for (const n of strs(values, 'pipeline')) {
      if (!/\.ya?ml$/i.test(n) || targets.every((t) => getTarget(t)?.pipelines[n])) continue;
      try {
        pipelineFiles.set(n, readFileSync(n, 'utf8'));
      } catch {
        write(io.stderr, `${n}: error TL9003: pipeline file not found or unreadable`);
        return EXIT_USAGE;
      }
    }
    const plain: PlainConvertOptions[] = targets.map((target) => {
      const opts: PlainConvertOptions = {
        target,
        options,
        pretty: flag(values, 'pretty'),
        strict: flag(values, 'strict'),
      };
      const format = str(values, 'format');
      if (format !== undefined) opts.format = format;
      if (flag(values, 'without-pipeline')) opts.withoutPipeline = true;
      const names = strs(values, 'pipeline');
      if (names.length > 0) {
        opts.pipelines = names.map((n): PipelineRef => {
          const text = getTarget(target)?.pipelines[n] ? undefined : pipelineFiles.get(n);
          return text === undefined ? n : { file: n, text };
        });
      }
      return opts;
    });
    const converters: Converter[] = [];
    for (const opts of plain) {
      const conv = Converter.create(withAttack(opts));
      if (!conv.ok) {
        for (const d of conv.diagnostics) write(io.stderr, `error ${d.code}: ${d.message}`);
        return EXIT_USAGE;
      }
      converters.push(conv.value);
    }

    const { files, missing } = walkFiles(positionals, ['.yml', '.yaml']);
    const jobs = jobsGiven ?? defaultJobs(files.length);
    const run = await convertParallel(files, plain, converters, jobs);

    const diags: Diagnostic[] = converters.flatMap((c) => c.setupDiagnostics);
    for (const message of run.workerErrors) {
      diags.push({
        code: 'TL9005',
        severity: 'warning',
        message: `a worker thread failed, its files were converted on the main thread: ${message}`,
      });
    }
    diags.push(
      ...missing.map((m): Diagnostic => ({
        code: 'TL9003',
        severity: 'error',
        message: 'path not found or unreadable',
        file: m,
      })),
    );
    const sources = new Map<string, string>();
    let failed = missing.length > 0;
    /** Files that gave no document at all: still one JSON line each, so nothing goes missing. */
    const unreadable: Diagnostic[] = [];
    for (const f of run.files) {
      diags.push(...f.errors);
      if (f.text !== undefined) sources.set(f.file, f.text);
      if (f.empty && f.errors[0]) unreadable.push(f.errors[0]);
    }
    const shownPath = (p: string): string => relative(io.cwd, p) || p;
    const jsonLines: string[] = [];
    for (const { converter, docs, output } of run.targets) {
      const target = converter.target.name;
      for (const d of unreadable) {
        failed = true;
        const path = shownPath(d.file ?? '');
        jsonLines.push(
          JSON.stringify({ path, id: null, target, error: { code: d.code, message: d.message } }),
        );
      }
      for (const doc of docs) {
        diags.push(...doc.diagnostics);
        if (doc.output === undefined) failed = true;
        if (!json) continue;
        const base = { path: shownPath(doc.file), id: doc.id === '' ? null : doc.id, target };
        if (doc.output !== undefined) {
          if (doc.referenced) continue;
          jsonLines.push(JSON.stringify({ ...base, format: converter.format, output: doc.output }));
        } else {
          const err = doc.diagnostics.find((d) => d.severity === 'error');
          jsonLines.push(
            JSON.stringify({
              ...base,
              error: { code: err?.code ?? 'TL5000', message: err?.message ?? 'conversion failed' },
            }),
          );
        }
      }
      if (outDir !== undefined) {
        const written = writeOutput(outDir, target, converter.format, output);
        if (!written.ok) {
          diags.push(...written.diagnostics);
          failed = true;
        }
      } else if (!json) {
        // One write: thousands of small writes cost more than the conversion of a query.
        if (typeof output === 'string') write(io.stdout, output);
        else if (output.length > 0) write(io.stdout, output.join('\n'));
      }
    }
    if (json && jsonLines.length > 0) write(io.stdout, jsonLines.join('\n'));
    const shown = diags.sort(compareDiagnostics);
    if (shown.length > 0) write(io.stderr, renderText(shown, sources));
    if (io.stderr.isTTY || failed || outDir !== undefined) {
      for (const { converter, docs } of run.targets) {
        const converted = docs.filter((d) => d.output !== undefined).length;
        const where =
          outDir === undefined
            ? ''
            : ` → ${join(outDir, outputName(converter.target.name, converter.format))}`;
        write(
          io.stderr,
          `converted ${converted} of ${docs.length} documents to ${converter.target.name} (${converter.format})${where}`,
        );
      }
    }
    return failed || hasErrors(diags) ? EXIT_FINDINGS : EXIT_OK;
  },
};

/** `-t a,b -t c` and `-t all`. */
function targetNames(values: OptionValues): string[] {
  const names = strs(values, 'target')
    .flatMap((t) => t.split(','))
    .map((t) => t.trim())
    .filter((t) => t !== '');
  const all = listTargets().map((t) => t.name);
  return [...new Set(names.flatMap((n) => (n === 'all' ? all : [n])))];
}

/** File extension of a format's output; formats are named alike across targets. */
function extension(target: string, format: string): string {
  if (format.includes('ndjson')) return '.ndjson';
  if (format === 'savedsearches') return '.conf';
  if (format === 'yara_l') return '.yaral';
  if (['siem_rule', 'eqlapi', 'dsl_lucene', 'cse_rule'].includes(format) || target === 'sumologic')
    return '.json';
  return '.txt';
}

function outputName(target: string, format: string): string {
  return `${target}${format === 'default' ? '' : `.${format}`}${extension(target, format)}`;
}

function writeOutput(dir: string, target: string, format: string, output: string[] | string): Result<string> {
  const path = join(dir, outputName(target, format));
  try {
    mkdirSync(dir, { recursive: true });
    const text = typeof output === 'string' ? output : output.join('\n');
    const fd = openSync(path, 'w');
    try {
      writeText(fd, text);
      // Written apart: `text + '\n'` would copy the whole text (20 MB for Sumo Logic) to flatten it.
      if (!text.endsWith('\n') && text !== '') writeText(fd, '\n');
    } finally {
      closeSync(fd);
    }
    return ok(path);
  } catch (e) {
    return fail({
      code: 'TL9003',
      severity: 'error',
      message: `cannot write ${path}: ${(e as Error).message}`,
    });
  }
}

/**
 * Write a text as UTF-8. An ASCII text goes as latin1, the same bytes: Node then writes a large text
 * (the one-byte string Sumo Logic's output is made as) straight from the string, where UTF-8 first
 * encodes a copy (corpus, -t all -o DIR: writing 0.39 → 0.2 s CPU).
 */
function writeText(fd: number, text: string): void {
  const bytes = Buffer.byteLength(text, 'utf8');
  const encoding = bytes === text.length ? 'latin1' : 'utf8';
  let done = writeSync(fd, text, null, encoding);
  // A short write (full disk, signal) leaves the rest for a byte-exact loop over an encoded copy.
  if (done < bytes) {
    const buf = Buffer.from(text, encoding);
    while (done < bytes) done += writeSync(fd, buf, done);
  }
}
