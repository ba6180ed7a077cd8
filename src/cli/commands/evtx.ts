import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { Writable } from 'node:stream';
import type { Command, CliIO } from '../command.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, flag, str, write } from '../command.js';
import type { Diagnostic } from '../../diagnostics/index.js';
import { formatDiagnostic, hasErrors } from '../../diagnostics/index.js';
import { readEvtx } from '../../evtx/index.js';
import { dumpEvtxParallel } from '../../evtx/parallel.js';
import type { EvtxInput } from '../../evtx/parallel.js';
import type { DumpFormat } from '../../evtx/lines.js';
import { recordLine } from '../../evtx/lines.js';
import { walkFiles } from '../../util/files.js';

const FLUSH_CHARS = 1 << 20;

/** Write, waiting for 'drain' when the stream asks us to, so memory stays flat on huge dumps. */
function writeAsync(stream: Writable, text: string): Promise<void> {
  if (stream.write(text)) return Promise.resolve();
  return new Promise((resolve) => stream.once('drain', () => resolve()));
}

async function dumpSequential(
  io: CliIO,
  files: readonly EvtxInput[],
  format: DumpFormat,
  recover: boolean,
): Promise<Diagnostic[]> {
  const diagnostics: Diagnostic[] = [];
  let buffer = '';
  for (const { path, name } of files) {
    const result = readEvtx(path, { recover, file: name });
    for (const rec of result.records) {
      buffer += recordLine(rec, format);
      if (buffer.length >= FLUSH_CHARS) {
        await writeAsync(io.stdout, buffer);
        buffer = '';
      }
    }
    diagnostics.push(...result.diagnostics);
  }
  if (buffer !== '') await writeAsync(io.stdout, buffer);
  return diagnostics;
}

export const evtxCommand: Command = {
  name: 'evtx',
  usage: 'evtx dump [--format json|xml] [--recover] [--jobs N] FILE…',
  description: [
    'Subcommand dump prints one JSON object per record:',
    '  {"file": …, "record_id": N, "timestamp": "2020-09-23T16:57:41.7163814Z", "event": {"Event": {…}}}',
    'record_id and timestamp come from the record header (written time, UTC, 100 ns precision).',
    '"event" has the evtx JSON shape (as evtx_dump -o json); with --format xml, "xml" holds the',
    'record as XML text instead. FILE may be a folder (searched for *.evtx).',
    'Damaged files are read as far as possible; problems are reported on stderr with their byte',
    'offset. Exit status: 0 when every file was read, 1 when a file could not be read at all, 2 on',
    'usage errors.',
  ].join('\n'),
  options: {
    format: {
      type: 'string',
      arg: 'FORMAT',
      description: 'json (event objects) or xml (XML text)',
      default: 'json',
    },
    recover: {
      type: 'boolean',
      description: 'also carve records from chunk slack space; they carry "recovered": true',
    },
    jobs: {
      type: 'string',
      arg: 'N',
      description: 'read N files in parallel on worker threads',
      default: '1',
    },
  },
  examples: [
    'tripline evtx dump Security.evtx',
    'tripline evtx dump --format xml logs/ > records.jsonl',
    'tripline evtx dump --recover --jobs 4 evidence/*.evtx',
  ],
  async run(io, values, positionals) {
    const [sub, ...paths] = positionals;
    if (sub !== 'dump') {
      write(
        io.stderr,
        `error TL9002: expected the subcommand 'dump', got ${sub === undefined ? 'nothing' : `'${sub}'`}. Usage: tripline ${this.usage}`,
      );
      return EXIT_USAGE;
    }
    const format = str(values, 'format') ?? 'json';
    if (format !== 'json' && format !== 'xml') {
      write(io.stderr, `error TL9002: --format must be json or xml, not '${format}'`);
      return EXIT_USAGE;
    }
    const jobs = Number(str(values, 'jobs') ?? '1');
    if (!Number.isInteger(jobs) || jobs < 1 || jobs > 256) {
      write(io.stderr, `error TL9002: --jobs must be a whole number from 1 to 256`);
      return EXIT_USAGE;
    }
    if (paths.length === 0) {
      write(io.stderr, `error TL9002: no FILE given. Usage: tripline ${this.usage}`);
      return EXIT_USAGE;
    }
    // Read from absolute paths, but name files in the output as the user wrote them.
    const { files, missing } = walkFiles(
      paths.map((p) => resolve(io.cwd, p)),
      ['.evtx'],
    );
    const relativeGiven = paths.some((p) => !isAbsolute(p));
    const display = (f: string): string =>
      relativeGiven && f.startsWith(io.cwd + sep) ? relative(io.cwd, f) : f;
    const diagnostics: Diagnostic[] = missing.map((m) => ({
      code: 'TL7001',
      severity: 'error',
      message: 'cannot read the file: no such file or folder',
      file: relativeGiven ? relative(io.cwd, m) : m,
    }));
    const recover = flag(values, 'recover');
    const inputs = files.map((path) => ({ path, name: display(path) }));
    if (jobs > 1 && inputs.length > 1) {
      diagnostics.push(
        ...(await dumpEvtxParallel(inputs, { format, recover, jobs }, (text) => writeAsync(io.stdout, text))),
      );
    } else {
      diagnostics.push(...(await dumpSequential(io, inputs, format, recover)));
    }
    if (diagnostics.length > 0) write(io.stderr, diagnostics.map(formatDiagnostic).join('\n'));
    return hasErrors(diagnostics) ? EXIT_FINDINGS : EXIT_OK;
  },
};
