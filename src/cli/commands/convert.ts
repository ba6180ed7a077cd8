import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { Diagnostic } from '../../diagnostics/index.js';
import { compareDiagnostics, hasErrors, renderText } from '../../diagnostics/index.js';
import { lookupTactic, lookupTechnique } from '../../attack/index.js';
import { Converter } from '../../backends/convert.js';
import type { ConvertOptions, PipelineRef } from '../../backends/convert.js';
import { getTarget, listTargets } from '../../backends/registry.js';
import { parseSigmaText } from '../../sigma/parse.js';
import type { SigmaFile } from '../../sigma/ast.js';
import { walkFiles } from '../../util/files.js';
import type { CliIO, Command, OptionValues } from '../command.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, flag, str, strs, write } from '../command.js';

const USAGE =
  'convert -t TARGET [-p PIPELINE]… [--without-pipeline] [-f FORMAT] [-O key=value]… [--json] [--pretty] [--strict] PATH…';

function usageError(io: CliIO, message: string): Promise<number> {
  write(io.stderr, `error TL9002: ${message}\n\nUsage: tripline ${USAGE}`);
  return Promise.resolve(EXIT_USAGE);
}

function listing(io: CliIO, values: OptionValues): boolean {
  const target = str(values, 'target');
  if (flag(values, 'list-targets')) {
    for (const t of listTargets()) write(io.stdout, `${t.name.padEnd(20)} ${t.description}`);
    return true;
  }
  if (flag(values, 'list-formats') || flag(values, 'list-pipelines')) {
    const ts = target ? [getTarget(target)].filter((t) => t !== undefined) : listTargets();
    for (const t of ts) {
      if (flag(values, 'list-formats')) {
        for (const [name, d] of Object.entries(t.formats)) {
          write(
            io.stdout,
            `${t.name.padEnd(12)} ${name.padEnd(16)} ${d}${name === t.defaultFormat ? ' (default)' : ''}`,
          );
        }
      } else {
        for (const [name, p] of Object.entries(t.pipelines)) {
          const dflt = t.defaultPipelines.includes(name) ? ' (default)' : '';
          write(io.stdout, `${t.name.padEnd(12)} ${name.padEnd(28)} ${p.description}${dflt}`);
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
    'Diagnostics go to stderr. Exit status: 0 all converted, 1 some rule failed, 2 usage error.',
  ].join('\n'),
  options: {
    target: { type: 'string', short: 't', arg: 'TARGET', description: 'target SIEM (see --list-targets)' },
    pipeline: {
      type: 'string',
      short: 'p',
      multiple: true,
      arg: 'PIPELINE',
      description: 'built-in pipeline name or pipeline YAML file (repeatable)',
    },
    'without-pipeline': { type: 'boolean', description: "apply no pipeline, not even the target's default" },
    format: { type: 'string', short: 'f', arg: 'FORMAT', description: 'output format (see --list-formats)' },
    option: {
      type: 'string',
      short: 'O',
      multiple: true,
      arg: 'KEY=VALUE',
      description: 'backend option, e.g. -O min_time=-7d (repeatable)',
    },
    json: { type: 'boolean', description: 'JSON Lines, one object per rule' },
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
    'tripline convert --list-targets',
  ],
  run(io, values, positionals) {
    if (listing(io, values)) return Promise.resolve(EXIT_OK);
    const target = str(values, 'target');
    if (!target) return usageError(io, 'give a target with -t (see --list-targets)');
    if (positionals.length === 0) return usageError(io, 'give at least one file or folder to convert');
    const options: Record<string, string> = {};
    for (const kv of strs(values, 'option')) {
      const eq = kv.indexOf('=');
      if (eq <= 0) return usageError(io, `-O takes key=value (got '${kv}')`);
      options[kv.slice(0, eq)] = kv.slice(eq + 1);
    }
    const opts: ConvertOptions = {
      target,
      options,
      pretty: flag(values, 'pretty'),
      strict: flag(values, 'strict'),
      attack: {
        tacticId: (shortname) => lookupTactic(shortname)?.id,
        techniqueName: (id) => lookupTechnique(id)?.name,
      },
    };
    const format = str(values, 'format');
    if (format !== undefined) opts.format = format;
    if (flag(values, 'without-pipeline')) opts.withoutPipeline = true;
    const names = strs(values, 'pipeline');
    if (names.length > 0) {
      const refs: PipelineRef[] = [];
      const t = getTarget(target);
      for (const n of names) {
        if (t?.pipelines[n] || !/\.ya?ml$/i.test(n)) refs.push(n);
        else {
          try {
            refs.push({ file: n, text: readFileSync(n, 'utf8') });
          } catch {
            write(io.stderr, `${n}: error TL9003: pipeline file not found or unreadable`);
            return Promise.resolve(EXIT_USAGE);
          }
        }
      }
      opts.pipelines = refs;
    }
    const conv = Converter.create(opts);
    if (!conv.ok) {
      for (const d of conv.diagnostics) write(io.stderr, `error ${d.code}: ${d.message}`);
      return Promise.resolve(EXIT_USAGE);
    }
    const { files, missing } = walkFiles(positionals, ['.yml', '.yaml']);
    const diags: Diagnostic[] = [...conv.value.setupDiagnostics];
    diags.push(
      ...missing.map((m): Diagnostic => ({
        code: 'TL9003',
        severity: 'error',
        message: 'path not found or unreadable',
        file: m,
      })),
    );
    const sigmaFiles: SigmaFile[] = [];
    /** Files that gave no document at all: still one JSON line each, so nothing goes missing. */
    const unreadable: Diagnostic[] = [];
    const sources = new Map<string, string>();
    for (const f of files) {
      let text: string;
      try {
        text = readFileSync(f, 'utf8');
      } catch (e) {
        diags.push({
          code: 'TL9003',
          severity: 'error',
          message: `cannot read file: ${(e as Error).message}`,
          file: f,
        });
        continue;
      }
      const parsed = parseSigmaText(text, f);
      sigmaFiles.push(parsed.file);
      sources.set(f, text);
      const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
      diags.push(...errors);
      if (errors[0] && parsed.file.documents.length === 0) unreadable.push(errors[0]);
    }
    const run = conv.value.convertFiles(sigmaFiles);
    const shownPath = (p: string): string => relative(io.cwd, p) || p;
    const json = flag(values, 'json');
    let failed = missing.length > 0;
    const jsonLines: string[] = [];
    for (const d of unreadable) {
      failed = true;
      const path = shownPath(d.file ?? '');
      jsonLines.push(JSON.stringify({ path, id: null, target, error: { code: d.code, message: d.message } }));
    }
    for (const doc of run.docs) {
      diags.push(...doc.diagnostics);
      if (doc.output === undefined) failed = true;
      if (!json) continue;
      const base = { path: shownPath(doc.file), id: doc.id === '' ? null : doc.id, target };
      if (doc.output !== undefined) {
        if (doc.referenced) continue;
        jsonLines.push(JSON.stringify({ ...base, format: conv.value.format, output: doc.output }));
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
    if (json && jsonLines.length > 0) write(io.stdout, jsonLines.join('\n'));
    if (!json) {
      const out = run.output;
      // One write: thousands of small writes cost more than the conversion of a query.
      if (typeof out === 'string') write(io.stdout, out);
      else if (out.length > 0) write(io.stdout, out.join('\n'));
    }
    const shown = diags.sort(compareDiagnostics);
    if (shown.length > 0) write(io.stderr, renderText(shown, sources));
    const converted = run.docs.filter((d) => d.output !== undefined).length;
    if (io.stderr.isTTY || failed) {
      write(
        io.stderr,
        `converted ${converted} of ${run.docs.length} documents to ${target} (${conv.value.format})`,
      );
    }
    return Promise.resolve(failed || hasErrors(diags) ? EXIT_FINDINGS : EXIT_OK);
  },
};
