import { setFlagsFromString } from 'node:v8';
import type { Diagnostic } from '../../diagnostics/index.js';
import { compareDiagnostics, formatDiagnostic } from '../../diagnostics/index.js';
import type { EngineOptions, EventView, Hit } from '../../engine/index.js';
import {
  EVENT_EXTENSIONS,
  Engine,
  LEVELS,
  huntFile,
  loadPlaceholders,
  parseTime,
} from '../../engine/index.js';
import type { SigmaDocument } from '../../sigma/index.js';
import { loadSigmaFile } from '../../sigma/index.js';
import { walkFiles } from '../../util/files.js';
import type { CliIO, Command } from '../command.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, flag, str, strs, write } from '../command.js';

type Format = 'table' | 'jsonl' | 'csv';

const CSV_COLUMNS = [
  'rule_id',
  'rule_title',
  'level',
  'file',
  'record_id',
  'timestamp',
  'computer',
  'channel',
  'event_id',
  'correlation',
] as const;

interface Row {
  rule_id: string;
  rule_title: string;
  level: string | null;
  file: string;
  record_id: number | string | null;
  timestamp: string | null;
  computer: string | null;
  channel: string | null;
  event_id: number | null;
  event: unknown;
  correlation?: Record<string, unknown>;
}

/** A rule hit's row; `event` only when the format prints it (reading it may parse the line). */
function ruleRow(h: Extract<Hit, { kind: 'rule' }>, event: boolean): Row {
  const ev: EventView = h.event;
  return {
    rule_id: h.rule.id,
    rule_title: h.rule.title,
    level: h.rule.level ?? null,
    file: h.source.file,
    record_id: ev.recordId ?? h.source.line ?? null,
    timestamp: ev.timestamp ?? null,
    computer: ev.computer ?? null,
    channel: ev.channel ?? null,
    event_id: ev.eventId ?? null,
    event: event ? ev.raw : null,
  };
}

/**
 * A rule hit's JSONL line up to its event (`…,"event":`), when the event goes out as the bytes it was read
 * from: ruleRow's keys and values, written directly. The part naming the rule and the events file is the
 * same for every hit of that pair and is made once (`heads`).
 */
function jsonlHead(
  h: Extract<Hit, { kind: 'rule' }>,
  heads: Map<object, { file: string; text: string }>,
): string {
  const j = JSON.stringify;
  const file = h.source.file;
  let head = heads.get(h.rule);
  if (head?.file !== file) {
    const { id, title, level } = h.rule;
    head = {
      file,
      text: `{"rule_id":${j(id)},"rule_title":${j(title)},"level":${j(level ?? null)},"file":${j(file)}`,
    };
    heads.set(h.rule, head);
  }
  const ev = h.event;
  return (
    `${head.text},"record_id":${j(ev.recordId ?? h.source.line ?? null)},"timestamp":${j(ev.timestamp ?? null)}` +
    `,"computer":${j(ev.computer ?? null)},"channel":${j(ev.channel ?? null)},"event_id":${j(ev.eventId ?? null)},"event":`
  );
}

function corrRow(h: Extract<Hit, { kind: 'correlation' }>): Row {
  const c = h.hit;
  const files = [...new Set(c.events.map((e) => e.file))];
  return {
    rule_id: h.rule.id,
    rule_title: h.rule.title,
    level: h.rule.level ?? null,
    file: files.join(','),
    record_id: null,
    timestamp: c.last,
    computer: null,
    channel: null,
    event_id: null,
    event: null,
    correlation: {
      type: c.correlation.type,
      group: c.group,
      count: c.count,
      value: c.value,
      ...(c.values ? { values: c.values } : {}),
      first: c.first,
      last: c.last,
      events: c.events.map((e) => ({
        rule: e.rule,
        file: e.file,
        record_id: e.recordId ?? e.line ?? null,
        timestamp: e.timestamp ?? null,
      })),
    },
  };
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

function pad(s: string, n: number): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s.padEnd(n);
}

function tableLine(r: Row): string {
  const where = r.correlation
    ? `${String(r.correlation['type'])} ${JSON.stringify(r.correlation['group'])} ×${String(r.correlation['count'])}`
    : `${r.channel ?? '-'}/${r.event_id ?? '-'} ${r.file}#${r.record_id ?? '-'}`;
  return [
    pad(r.timestamp ?? '-', 27),
    pad(r.level ?? '-', 13),
    pad(r.rule_title, 60),
    pad(r.computer ?? '-', 18),
    where,
  ].join(' ');
}

const TABLE_HEAD = [pad('TIME', 27), pad('LEVEL', 13), pad('RULE', 60), pad('COMPUTER', 18), 'WHERE'].join(
  ' ',
);

/** Buffered writer that respects stdout back-pressure between chunks of input. */
/**
 * stdout, buffered as UTF-8 bytes: lines are encoded straight into 64 KiB buffers and hit events read
 * from JSON lines are copied in as the bytes they were read as. Joining strings and encoding the result
 * cost more than the hunt's matching once tens of thousands of events hit. (1 MiB buffers came from fresh
 * memory each time, a page fault per 4 KiB written; 64 KiB ones reuse freed memory.)
 */
const OUT_CHUNK = 1 << 16;

/**
 * Run `f` without V8's TurboFan inlining, then inline again. Loading and compiling the rules runs each
 * function over a few thousand small inputs once, where inlining costs more than it saves (as for
 * convert and check, src/cli/bundle-loader.ts); the hunt after it keeps inlining, which its hot loop
 * needs. SigmaHQ Windows rules, then 1M events: loading 1.14 → 0.96 s, the hunt unchanged (9.0–9.9 s).
 */
function withoutInlining<T>(f: () => T): T {
  setFlagsFromString('--no-turbo-inlining');
  try {
    return f();
  } finally {
    setFlagsFromString('--turbo-inlining');
  }
}

class Out {
  private chunk = Buffer.allocUnsafe(OUT_CHUNK);
  private at = 0;
  /** Full chunks not yet written. */
  private full: Buffer[] = [];
  private size = 0;
  /** The reader went away (e.g. `| head`): stop writing, keep hunting quietly. */
  private closed = false;
  constructor(private readonly io: CliIO) {
    io.stdout.on('error', () => {
      this.closed = true;
    });
  }
  /** A line of text. */
  line(s: string): void {
    this.text(s);
    this.text('\n');
  }
  /** Text without a line break. */
  text(s: string): void {
    if (this.closed) return;
    this.room(s.length * 3);
    const n = this.chunk.write(s, this.at);
    this.at += n;
    this.size += n;
  }
  /** Bytes (UTF-8 already) without a line break. */
  bytes(b: Uint8Array): void {
    if (this.closed) return;
    this.room(b.length);
    this.chunk.set(b, this.at);
    this.at += b.length;
    this.size += b.length;
  }
  private room(n: number): void {
    if (this.at + n <= this.chunk.length) return;
    if (this.at > 0) this.full.push(this.chunk.subarray(0, this.at));
    this.chunk = Buffer.allocUnsafe(Math.max(OUT_CHUNK, n));
    this.at = 0;
  }
  get pending(): number {
    return this.size;
  }
  async flush(): Promise<void> {
    if (this.size === 0 || this.closed) return;
    const parts = this.full;
    if (this.at > 0) parts.push(this.chunk.subarray(0, this.at));
    // The stream keeps the written bytes until it is done with them: continue in a fresh buffer.
    this.chunk = Buffer.allocUnsafe(OUT_CHUNK);
    this.at = 0;
    this.full = [];
    this.size = 0;
    let ok = true;
    for (const p of parts) ok = this.io.stdout.write(p) && ok;
    if (!ok && !this.closed)
      await new Promise<void>((r) => {
        this.io.stdout.once('drain', r);
        this.io.stdout.once('error', () => r());
      });
  }
}

export const huntCommand: Command = {
  name: 'hunt',
  usage:
    'hunt -r RULES… [--format table|jsonl|csv] [--min-level L] [--rule-id ID…] [--from T] [--to T] [--placeholders FILE] [--summary] EVENTS…',
  description: [
    'RULES and EVENTS may be files or folders (folders are searched recursively: *.yml/*.yaml for rules;',
    '*.jsonl, *.ndjson, *.json, *.evtx and their .gz for events). Events may be in the evtx JSON shape',
    '({"Event": {"System": …, "EventData": …}}) or flat JSON with Sigma field names; .json files may hold one',
    'object, an array, or objects one after another. Each rule runs only on events its logsource can apply',
    'to (Windows channel and EventID; see docs/engine.md). Correlation rules and filters among RULES are',
    'applied. Corrupt lines are counted and reported with file and line; evaluation goes on.',
    '',
    'Output: one hit per line. JSONL hits are {"rule_id","rule_title","level","file","record_id","timestamp",',
    '"computer","channel","event_id","event"}; correlation hits have "event": null and a "correlation" object',
    '(type, group, count, value, values, first, last, events). --summary prints hits per rule and per level',
    '(to stdout for table, to stderr for jsonl and csv). A progress bar with events/s goes to stderr when it',
    'is a terminal. Exit status: 0 hunt completed (with or without hits), 1 an input could not be read or',
    'no rule could be compiled, 2 usage error.',
  ].join('\n'),
  options: {
    rules: {
      type: 'string',
      short: 'r',
      multiple: true,
      arg: 'PATH',
      description: 'rule file or folder',
    },
    format: {
      type: 'string',
      short: 'f',
      arg: 'FORMAT',
      description: 'table, jsonl or csv (default: table on a terminal, else jsonl)',
    },
    'min-level': {
      type: 'string',
      arg: 'LEVEL',
      description: 'only rules at or above informational|low|medium|high|critical',
    },
    'rule-id': {
      type: 'string',
      multiple: true,
      arg: 'ID',
      description: 'only this rule (id or name)',
    },
    from: {
      type: 'string',
      arg: 'TIME',
      description: 'only events at or after this time (ISO 8601, UTC if no zone)',
    },
    to: { type: 'string', arg: 'TIME', description: 'only events before this time' },
    placeholders: {
      type: 'string',
      arg: 'FILE',
      description: 'YAML/JSON map of %placeholder% name → list of values (for |expand)',
    },
    summary: { type: 'boolean', short: 's', description: 'print hits per rule and per level at the end' },
    quiet: { type: 'boolean', short: 'q', description: 'do not print hits (use with --summary)' },
  },
  examples: [
    'tripline hunt -r rules/windows/ logs/Security.evtx',
    'tripline hunt -r rules/ --format jsonl --min-level high events/*.jsonl.gz > hits.jsonl',
    'tripline hunt -r rules/ -r my-correlations.yml --summary --quiet sysmon.json',
    'tripline hunt -r rules/ --from 2024-05-01 --to 2024-05-02 --format csv logs/ > hits.csv',
    'tripline hunt -r rules-placeholder/ --placeholders site-placeholders.yml logs/',
  ],
  async run(io, values, positionals) {
    const usage = (msg: string): number => {
      write(io.stderr, `error TL9002: ${msg}\n\nUsage: tripline ${huntCommand.usage}`);
      return EXIT_USAGE;
    };
    const rulePaths = strs(values, 'rules');
    if (rulePaths.length === 0) return usage('give rules with -r PATH');
    if (positionals.length === 0) return usage('give at least one event file or folder');
    const formatArg = str(values, 'format');
    const format: Format = (formatArg ?? (io.stdout.isTTY === true ? 'table' : 'jsonl')) as Format;
    if (!['table', 'jsonl', 'csv'].includes(format))
      return usage(`--format must be table, jsonl or csv (got '${formatArg ?? ''}')`);
    const opts: EngineOptions = {};
    const minLevel = str(values, 'min-level');
    if (minLevel !== undefined) {
      if (!(LEVELS as readonly string[]).includes(minLevel.toLowerCase()))
        return usage(`--min-level must be one of ${LEVELS.join(', ')}`);
      opts.minLevel = minLevel.toLowerCase();
    }
    const ids = strs(values, 'rule-id');
    if (ids.length > 0) opts.ruleIds = ids;
    for (const k of ['from', 'to'] as const) {
      const v = str(values, k);
      if (v === undefined) continue;
      const t = parseTime(v);
      if (Number.isNaN(t))
        return usage(`--${k} '${v}' is not a time (use ISO 8601, e.g. 2024-05-01T12:00:00Z)`);
      opts[k] = t;
    }
    const diags: Diagnostic[] = [];
    let failed = false;
    const phFile = str(values, 'placeholders');
    if (phFile !== undefined) {
      const ph = loadPlaceholders(phFile);
      if (!ph.ok) {
        for (const d of ph.diagnostics) write(io.stderr, formatDiagnostic(d));
        return EXIT_FINDINGS;
      }
      opts.placeholders = ph.value;
    }

    const ruleFiles = walkFiles(rulePaths, ['.yml', '.yaml']);
    const docs: SigmaDocument[] = [];
    for (const m of ruleFiles.missing) {
      diags.push({ code: 'TL9003', severity: 'error', message: 'path not found or unreadable', file: m });
      failed = true;
    }
    const { engine, diagnostics } = withoutInlining(() => {
      for (const f of ruleFiles.files) {
        const r = loadSigmaFile(f);
        diags.push(...r.diagnostics.filter((d) => d.severity === 'error'));
        docs.push(...r.file.documents);
      }
      return Engine.compile(docs, opts);
    });
    diags.push(...diagnostics.filter((d) => d.severity !== 'info'));
    if (engine.rules.length === 0) failed = true;

    const eventFiles = walkFiles(positionals, EVENT_EXTENSIONS);
    for (const m of eventFiles.missing) {
      diags.push({ code: 'TL9003', severity: 'error', message: 'path not found or unreadable', file: m });
      failed = true;
    }
    const out = new Out(io);
    const quiet = flag(values, 'quiet');
    if (!quiet && format === 'csv') out.line(CSV_COLUMNS.join(','));
    if (!quiet && format === 'table') out.line(TABLE_HEAD);
    const perRule = new Map<string, { title: string; level: string; hits: number }>();
    const perLevel = new Map<string, number>();
    let hits = 0;
    const heads = new Map<object, { file: string; text: string }>();
    // Each hit is written out before the call returns: the engine need not copy the lines that hit.
    engine.onHit(
      (h) => {
        hits++;
        const lvl = h.rule.level ?? 'none';
        const pr = perRule.get(h.rule.id) ?? { title: h.rule.title, level: lvl, hits: 0 };
        pr.hits++;
        perRule.set(h.rule.id, pr);
        perLevel.set(lvl, (perLevel.get(lvl) ?? 0) + 1);
        if (quiet) return;
        // Only JSONL prints the event. A hit read from a JSON line carries that line's text, which goes out
        // as is (the same JSON value): parsing and writing again every event that hit was most of the
        // output's cost.
        let json = h.kind === 'rule' && format === 'jsonl' ? h.event.jsonBytes() : undefined;
        // A pretty-printed object from a .json file spans lines: that one is written again on one line.
        if (json !== undefined && (json.includes(0x0a) || json.includes(0x0d))) json = undefined;
        if (json !== undefined && h.kind === 'rule') {
          out.text(jsonlHead(h, heads));
          out.bytes(json);
          out.line('}');
          return;
        }
        const row = h.kind === 'rule' ? ruleRow(h, format === 'jsonl') : corrRow(h);
        if (format === 'jsonl') out.line(JSON.stringify(row));
        else if (format === 'csv')
          out.line(CSV_COLUMNS.map((c) => csvCell(c === 'correlation' ? row.correlation : row[c])).join(','));
        else out.line(tableLine(row));
      },
      { transient: true },
    );

    const tty = io.stderr.isTTY === true;
    const started = Date.now();
    let lastDraw = 0;
    const draw = (fileIdx: number, force = false): void => {
      const now = Date.now();
      if (!tty || (!force && now - lastDraw < 200)) return;
      lastDraw = now;
      const secs = Math.max(0.001, (now - started) / 1000);
      const rate = Math.round(engine.stats.events / secs);
      const total = eventFiles.files.length;
      const width = 24;
      const filled = Math.round((fileIdx / Math.max(1, total)) * width);
      io.stderr.write(
        `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] file ${fileIdx}/${total}  ${engine.stats.events} events  ${rate} events/s  ${hits} hits `,
      );
    };
    for (let i = 0; i < eventFiles.files.length; i++) {
      const f = eventFiles.files[i]!;
      const fd = await huntFile(engine, f, {
        progress: () => draw(i),
        flush: () => (out.pending > 1 << 16 ? out.flush() : Promise.resolve()),
      });
      if (fd.some((d) => d.code === 'TL6009')) failed = true;
      diags.push(...fd);
      await out.flush();
      draw(i + 1, true);
    }
    engine.finish();
    await out.flush();
    if (tty) io.stderr.write('\r\x1b[K');

    if (engine.stats.late > 0)
      diags.push({
        code: 'TL6011',
        severity: 'warning',
        message: `${engine.stats.late} event(s) reached correlations later than the out-of-order bound (300 s)`,
      });
    if (engine.correlations.length > 0 && engine.stats.untimed > 0)
      diags.push({
        code: 'TL6012',
        severity: 'info',
        message: `${engine.stats.untimed} event(s) without a readable time were not used by correlations`,
      });
    for (const d of diags.sort(compareDiagnostics)) write(io.stderr, formatDiagnostic(d));
    const st = engine.stats;
    const secs = (Date.now() - started) / 1000;
    write(
      io.stderr,
      `hunted ${st.events} events from ${eventFiles.files.length} file(s) with ${engine.rules.length} rule(s) and ${engine.correlations.length} correlation(s) in ${secs.toFixed(1)} s: ${hits} hit(s)` +
        (st.corrupt > 0 ? `, ${st.corrupt} corrupt event(s) skipped` : '') +
        (st.late > 0 ? `, ${st.late} event(s) beyond the out-of-order bound` : ''),
    );
    if (flag(values, 'summary')) {
      const lines: string[] = ['', 'Hits per level:'];
      for (const l of [...LEVELS.slice().reverse(), 'none'])
        if (perLevel.has(l)) lines.push(`  ${l.padEnd(14)} ${perLevel.get(l)!}`);
      lines.push('', 'Hits per rule:');
      const sorted = [...perRule].sort(
        (a, b) => b[1].hits - a[1].hits || a[1].title.localeCompare(b[1].title),
      );
      for (const [id, r] of sorted)
        lines.push(`  ${String(r.hits).padStart(8)}  ${r.level.padEnd(13)} ${r.title} (${id})`);
      write(format === 'table' ? io.stdout : io.stderr, lines.join('\n'));
    }
    return failed ? EXIT_FINDINGS : EXIT_OK;
  },
};
