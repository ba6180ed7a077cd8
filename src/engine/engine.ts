/**
 * The evaluation engine: Sigma documents in, a frozen set of compiled rules out, then events in and hits
 * out. Rules are indexed by Windows channel and EventID so that an event is tested only against rules
 * whose logsource can apply to it; JSONL lines additionally go through the raw prefilter
 * (src/engine/prefilter.ts) so most lines are never parsed.
 */
import type { Diagnostic } from '../diagnostics/index.js';
import type { IrCorrelation, IrLogsource, IrNode } from '../ir/index.js';
import { lowerCorrelation, lowerFilter, lowerRule, normalize } from '../ir/index.js';
import type { SigmaDocument, SigmaFilter } from '../sigma/index.js';
import type { Pred } from './compile.js';
import { compileTree } from './compile.js';
import type { CorrelationHit, EventRef } from './correlation.js';
import { CorrelationState, ReorderBuffer } from './correlation.js';
import type { EventMeta, EventView } from './event.js';
import { toEventView } from './event.js';
import { RawEventReader } from './raw-event.js';
import { detached } from './raw-view.js';
import { ANY_CHANNEL, requiredEventIds, windowsRoutes } from './logsource.js';
import { requiredClauses } from './prefilter.js';
import { LineRouter, readChannel, readEventId } from './raw-line.js';
import type { PrefilterRule, PrefilterSet } from './prefilter-index.js';
import { LineLiterals, PrefilterIndex, literalIdsOf } from './prefilter-index.js';
import type { LiteralScanner } from './scanner.js';
import type { Placeholders } from './strings.js';
import { expandPlaceholders } from './strings.js';

export const LEVELS = ['informational', 'low', 'medium', 'high', 'critical'] as const;

export interface RuleInfo {
  id: string;
  name?: string;
  title: string;
  level?: string;
  file: string;
}

export interface CompiledRule extends RuleInfo, PrefilterRule {
  readonly logsource: IrLogsource;
  /** The normalized tree after placeholders and filters (what both interpreters evaluate). */
  readonly tree: IrNode;
  readonly match: Pred;
  /** Report hits (false for rules only feeding correlations, or filtered out by level / id). */
  readonly report: boolean;
  /** Correlations fed by this rule: [state index, reference index]. */
  readonly feeds: readonly (readonly [number, number])[];
}

export interface RuleHit {
  kind: 'rule';
  rule: RuleInfo;
  event: EventView;
  source: EventRef;
}

export interface CorrHit {
  kind: 'correlation';
  rule: RuleInfo;
  hit: CorrelationHit;
}

export type Hit = RuleHit | CorrHit;

export interface EngineOptions {
  /** `expand` placeholder values: name → list of Sigma strings. */
  placeholders?: Placeholders;
  /** Report only rules at or above this level (correlated base rules still run). */
  minLevel?: string;
  /** Report only these rule ids or names (their correlation inputs still run). */
  ruleIds?: readonly string[];
  /** Only events at or after / before these times (ms since epoch) count. */
  from?: number;
  to?: number;
  /** Out-of-order bound for correlations, in seconds (default 300). */
  skewSeconds?: number;
  /** Do not use the raw-line prefilter (for tests that compare both paths). */
  noPrefilter?: boolean;
}

export interface EngineStats {
  events: number;
  /** Lines the raw prefilter decided without parsing. */
  skipped: number;
  /** Lines evaluated through JSON.parse (the others were skipped or read by the raw event reader). */
  parsed: number;
  corrupt: number;
  /** Events that reached correlations out of order beyond the bound. */
  late: number;
  /**
   * Events without a readable time (ignored by correlations and time filters), counted only when there are
   * correlations or time filters.
   */
  untimed: number;
}

interface CandidateSet extends PrefilterSet<CompiledRule> {
  /** The raw prefilter may decide for this set. */
  prefilter: boolean;
  /** Some literal of the set's rules holds `/` (which a line may write as `\/`). */
  slash: boolean;
}

/** Rules routed to one channel (or to every channel). */
interface RouteBucket {
  /** Rules for any event of the channel. */
  any: CompiledRule[];
  /** Rules for events with this EventID. */
  byEid: Map<number, CompiledRule[]>;
  /** Rules for events whose EventID is absent or not a plain integer. */
  unknownEid: CompiledRule[];
}

function newBucket(): RouteBucket {
  return { any: [], byEid: new Map(), unknownEid: [] };
}

interface CorrInput {
  time: number;
  corr: number;
  ref: number;
  ev: EventView;
  source: EventRef;
}

function levelRank(l: string | undefined): number {
  return l === undefined ? -1 : LEVELS.indexOf(l.toLowerCase() as (typeof LEVELS)[number]);
}

function filterApplies(f: SigmaFilter, ls: IrLogsource): boolean {
  const eq = (a: string | undefined, b: string | undefined): boolean =>
    a === undefined || a.toLowerCase() === b?.toLowerCase();
  return (
    eq(f.logsource.product, ls.product) &&
    eq(f.logsource.category, ls.category) &&
    eq(f.logsource.service, ls.service)
  );
}

/**
 * Where a hit's event is: `source` with the event's own record id and timestamp when it has them (built
 * key by key: spreading objects of varying shapes cost ≈ 1 % of a hunt, once per line that hits).
 */
function hitRef(source: EventRef, ev: EventView): EventRef {
  const ref: EventRef = { file: source.file };
  if (source.line !== undefined) ref.line = source.line;
  const recordId = ev.recordId ?? source.recordId;
  if (recordId !== undefined) ref.recordId = recordId;
  const timestamp = ev.timestamp ?? source.timestamp;
  if (timestamp !== undefined) ref.timestamp = timestamp;
  return ref;
}

export class Engine {
  readonly rules: readonly CompiledRule[];
  /** The prefilter's literals (literal id → text). */
  readonly literals: readonly string[];
  readonly correlations: readonly CorrelationState[];
  readonly stats: EngineStats = { events: 0, skipped: 0, parsed: 0, corrupt: 0, late: 0, untimed: 0 };
  private readonly byChannel = new Map<string, RouteBucket>();
  private readonly anyChannel: RouteBucket = newBucket();
  /** Per rule: the EventIDs its detection requires (undefined: any). */
  private readonly wantedEids: (ReadonlySet<number> | undefined)[] = [];
  /** Candidate sets by channel, then EventID (no key string to build and hash per line). */
  private readonly candidateCache = new Map<string | undefined, Map<number | undefined, CandidateSet>>();
  private cachedSets = 0;
  private stamp = 0;
  private readonly prefilter: PrefilterIndex<CompiledRule>;
  /** Finds a JSONL line's routing keys and escapes (matchLine). */
  private readonly router = new LineRouter();
  private lastChannel: string | undefined;
  /** The bytes the last channel read was spelled with, and that channel. */
  private channelRaw: Uint8Array | undefined;
  private channelText: string | undefined;
  private lastEventId: number | undefined;
  private lastSet: CandidateSet | undefined;
  private readonly reorder: ReorderBuffer<CorrInput>;
  private sink: (h: Hit) => void = () => undefined;
  /** Hits may carry the live view (onHit). */
  private transient = false;
  private readonly from: number;
  private readonly to: number;
  private readonly noPrefilter: boolean;
  /** Events' times matter: there are correlations or time filters. */
  private readonly timed: boolean;
  private readonly reader = new RawEventReader();

  private constructor(
    rules: CompiledRule[],
    literals: string[],
    private readonly lineLiterals: LineLiterals,
    correlations: (ctx: Engine) => CorrelationState[],
    opts: EngineOptions,
  ) {
    this.rules = rules;
    this.literals = literals;
    this.prefilter = new PrefilterIndex(rules, literals, (name) => this.reader.fieldId(name));
    this.from = opts.from ?? -Infinity;
    this.to = opts.to ?? Infinity;
    this.noPrefilter = opts.noPrefilter === true;
    this.correlations = correlations(this);
    this.timed = this.correlations.length > 0 || this.from !== -Infinity || this.to !== Infinity;
    this.reorder = new ReorderBuffer<CorrInput>((opts.skewSeconds ?? 300) * 1000, (x) =>
      this.correlations[x.corr]!.add(x.ref, x.ev, x.source),
    );
    for (const r of rules) {
      const routes = windowsRoutes(r.logsource);
      const wanted = requiredEventIds(r.tree);
      this.wantedEids.push(wanted);
      for (const rt of routes ?? []) {
        let c = rt.channel === ANY_CHANNEL ? this.anyChannel : this.byChannel.get(rt.channel);
        if (!c) this.byChannel.set(rt.channel, (c = newBucket()));
        if (rt.eventIds === undefined && wanted === undefined) {
          c.any.push(r);
          continue;
        }
        // The logsource's EventIDs (a category) and the detection's own, both required.
        const ids =
          rt.eventIds === undefined ? [...wanted!] : rt.eventIds.filter((x) => wanted?.has(x) ?? true);
        for (const id of ids) {
          const l = c.byEid.get(id);
          if (l) l.push(r);
          else c.byEid.set(id, [r]);
        }
        // A category rule never applies to an event without a numeric EventID; a rule that only names
        // EventIDs in its detection may (`"EventID": "4688.0"` still equals 4688 there).
        if (rt.eventIds === undefined) c.unknownEid.push(r);
      }
    }
    Object.freeze(this.rules);
  }

  /**
   * Compile Sigma documents (rules, correlations, filters). Every rule either compiles or is reported in
   * `diagnostics`; one bad rule never stops the others.
   */
  static compile(
    docs: readonly SigmaDocument[],
    opts: EngineOptions = {},
  ): { engine: Engine; diagnostics: Diagnostic[] } {
    const diagnostics: Diagnostic[] = [];
    const ph = opts.placeholders ?? new Map<string, string[]>();
    const filters = docs.filter((d): d is SigmaFilter => d.kind === 'Filter');
    const corrDocs: IrCorrelation[] = [];
    for (const d of docs)
      if (d.kind === 'Correlation') {
        const c = lowerCorrelation(d);
        diagnostics.push(...c.diagnostics);
        if (c.ok) corrDocs.push(c.value);
      }
    const minRank = opts.minLevel === undefined ? -1 : levelRank(opts.minLevel);
    const wanted = opts.ruleIds ? new Set(opts.ruleIds) : undefined;
    const selected = (x: { id: string; name?: string; level?: string }): boolean =>
      levelRank(x.level) >= minRank &&
      (wanted === undefined || wanted.has(x.id) || (x.name !== undefined && wanted.has(x.name)));
    const usedCorrs = corrDocs.filter(selected);
    const referenced = new Set(usedCorrs.flatMap((c) => c.rules));
    // Rules referenced by a correlation that does not `generate` are correlation inputs only.
    const silent = new Set(usedCorrs.filter((c) => !c.generate).flatMap((c) => c.rules));

    const filterTrees = new Map<SigmaFilter, IrNode[] | undefined>();
    const filterFor = (f: SigmaFilter): IrNode[] | undefined => {
      if (!filterTrees.has(f)) {
        const r = lowerFilter(f);
        diagnostics.push(...r.diagnostics);
        filterTrees.set(f, r.ok ? r.value : undefined);
      }
      return filterTrees.get(f);
    };

    const rules: CompiledRule[] = [];
    const literalIds = new Map<string, number>();
    // The prefilter's literals (rules' clauses, matchers' needles) and what a scanned line lacks of them.
    const lineLiterals = new LineLiterals();
    const intern = {
      id: (text: string): number => {
        let id = literalIds.get(text);
        if (id === undefined) literalIds.set(text, (id = literalIds.size));
        return id;
      },
      line: lineLiterals,
    };
    const ruleLookup = new Map<string, CompiledRule>();
    for (const d of docs) {
      if (d.kind !== 'Rule') continue;
      const lowered = lowerRule(d);
      diagnostics.push(...lowered.diagnostics.filter((x) => x.severity === 'error'));
      if (!lowered.ok) continue;
      const ir = lowered.value;
      const inputOf = referenced.has(ir.id) || (ir.name !== undefined && referenced.has(ir.name));
      const report = selected(ir) && !silent.has(ir.id) && !(ir.name !== undefined && silent.has(ir.name));
      if (!report && !inputOf) continue;
      const missing = new Set<string>();
      let tree: IrNode = normalize(
        ir.conditions.length === 1 ? ir.conditions[0]! : { kind: 'Or', children: ir.conditions },
      );
      for (const f of filters) {
        if (!f.rules.some((x) => x === ir.id || x === ir.name || x === 'any')) continue;
        if (!filterApplies(f, ir.logsource)) continue;
        const ft = filterFor(f);
        if (!ft) continue;
        const fnode: IrNode = ft.length === 1 ? ft[0]! : { kind: 'Or', children: ft };
        tree = { kind: 'And', children: [tree, fnode] };
      }
      tree = normalize(expandPlaceholders(tree, ph, missing));
      if (missing.size > 0) {
        diagnostics.push({
          code: 'TL6002',
          severity: 'error',
          message: `${ir.id}: placeholder(s) ${[...missing].map((m) => `%${m}%`).join(', ')} not defined (use --placeholders FILE)`,
          file: ir.file,
        });
        continue;
      }
      const match = compileTree(tree, { file: ir.file, ruleId: ir.id, diagnostics, literals: intern });
      if (!match) continue;
      if (windowsRoutes(ir.logsource) === undefined)
        diagnostics.push({
          code: 'TL6005',
          severity: 'info',
          message: `${ir.id}: logsource ${JSON.stringify(ir.logsource)} has no Windows channel; the rule runs on events without a channel only`,
          file: ir.file,
        });
      const clauses = requiredClauses(tree);
      const flat: number[] = [];
      for (const { lits: cl } of clauses) {
        flat.push(cl.length);
        for (const l of cl) flat.push(intern.id(l));
      }
      const info: CompiledRule = {
        index: rules.length,
        id: ir.id,
        title: ir.title,
        file: ir.file,
        logsource: ir.logsource,
        tree,
        match,
        literals: clauses.length === 0 ? undefined : Int32Array.from(flat),
        clauseFields: clauses.map((c) => c.fields),
        keywordClauses: clauses.reduce((bits, c, i) => (c.keyword ? bits | (1 << i) : bits), 0),
        nonAsciiClauses: clauses.reduce((bits, c, i) => (c.nonAscii ? bits | (1 << i) : bits), 0),
        report,
        feeds: [],
      };
      if (ir.name !== undefined) info.name = ir.name;
      if (ir.level !== undefined) info.level = ir.level;
      rules.push(info);
      ruleLookup.set(ir.id, info);
      if (ir.name !== undefined && !ruleLookup.has(ir.name)) ruleLookup.set(ir.name, info);
    }
    for (const f of filters)
      for (const r of f.rules)
        if (
          r !== 'any' &&
          !ruleLookup.has(r) &&
          !docs.some((d) => d.kind === 'Rule' && (d.id === r || d.name === r))
        )
          diagnostics.push({
            code: 'TL6006',
            severity: 'warning',
            message: `filter '${f.title}' names rule '${r}', which is not loaded`,
            file: f.file,
            span: f.span,
          });

    const makeCorrs = (engine: Engine): CorrelationState[] => {
      const states: CorrelationState[] = [];
      for (const c of usedCorrs) {
        const refs = c.rules.map((r) => ruleLookup.get(r));
        const bad = c.rules.filter((_, i) => refs[i] === undefined);
        if (bad.length > 0) {
          diagnostics.push({
            code: 'TL6007',
            severity: 'error',
            message: `correlation ${c.id} references ${bad.map((b) => `'${b}'`).join(', ')}, not loaded or not compiled`,
            file: (docs.find((d) => d.kind === 'Correlation' && (d.id ?? '') === c.id)?.file ??
              undefined) as string,
          });
          continue;
        }
        const idx = states.length;
        const info: RuleInfo = { id: c.id, title: c.title, file: '' };
        const doc = docs.find((d) => d.kind === 'Correlation' && (d.id === c.id || d.name === c.name));
        info.file = doc?.file ?? '';
        if (c.name !== undefined) info.name = c.name;
        if (c.level !== undefined) info.level = c.level;
        states.push(
          new CorrelationState(
            c,
            refs.map((r) => (r!.name !== undefined ? { id: r!.id, name: r!.name } : { id: r!.id })),
            (hit) => engine.sink({ kind: 'correlation', rule: info, hit }),
          ),
        );
        refs.forEach((r, i) => (r!.feeds as [number, number][]).push([idx, i]));
      }
      return states;
    };
    const literals = [...literalIds.keys()];
    lineLiterals.found = new Int32Array(literals.length);
    const engine = new Engine(rules, literals, lineLiterals, makeCorrs, opts);
    for (const r of rules) Object.freeze(r);
    return { engine, diagnostics };
  }

  /**
   * Where hits go (set before feeding events). With `transient`, a rule hit's event is the engine's own
   * view of the line, valid only during the call: the sink must not keep it (it saves a copy of every line
   * that hits; correlations still keep their own copies).
   */
  onHit(sink: (h: Hit) => void, opts: { transient?: boolean } = {}): void {
    this.sink = sink;
    this.transient = opts.transient === true;
  }

  private makeSet(rules: readonly CompiledRule[], computed: boolean): CandidateSet {
    const sorted = [...new Set(rules)].sort((a, b) => a.index - b.index);
    const member = new Uint8Array(this.rules.length);
    for (const r of sorted) member[r.index] = 1;
    return {
      rules: sorted,
      prefilter: !this.noPrefilter,
      member,
      always: sorted.filter((r) => r.literals === undefined),
      computed,
      slash: literalIdsOf(sorted).some((id) => this.literals[id]!.includes('/')),
    };
  }

  /** Candidate rules for an event with this channel and EventID. */
  private candidates(channel: string | undefined, eventId: number | undefined): CandidateSet {
    let byEid = this.candidateCache.get(channel);
    let set = byEid?.get(eventId);
    if (set) return set;
    const pick = (c: RouteBucket | undefined): readonly CompiledRule[] =>
      c === undefined
        ? []
        : [...c.any, ...(eventId !== undefined ? (c.byEid.get(eventId) ?? []) : c.unknownEid)];
    // An event without a channel could come from any logsource: every rule applies to it, save those whose
    // detection names other EventIDs.
    const list =
      channel === undefined
        ? this.rules.filter((r) => eventId === undefined || (this.wantedEids[r.index]?.has(eventId) ?? true))
        : [...pick(this.byChannel.get(channel.toLowerCase())), ...pick(this.anyChannel)];
    // Security 4688 events get values the engine computes (toEventView's mapSecurity4688).
    set = this.makeSet(list, eventId === 4688 && channel?.toLowerCase() === 'security');
    if (this.cachedSets >= 10000) {
      this.candidateCache.clear();
      this.cachedSets = 0;
      byEid = undefined;
    }
    if (!byEid) this.candidateCache.set(channel, (byEid = new Map<number | undefined, CandidateSet>()));
    byEid.set(eventId, set);
    this.cachedSets++;
    return set;
  }

  /** The rules whose logsource can apply to this event (what both interpreters are run on). */
  candidatesFor(ev: EventView): readonly CompiledRule[] {
    return this.candidates(ev.channel, ev.eventId).rules;
  }

  /** Evaluate one parsed event (any shape). */
  matchObject(obj: unknown, source: EventRef, meta: EventMeta = {}): void {
    this.stats.events++;
    const ev = toEventView(obj, meta);
    this.evaluate(ev, this.candidates(ev.channel, ev.eventId).rules, source);
  }

  /**
   * Evaluate one JSON text line held in buf[start, end). Returns false when the line is not a JSON object
   * (the caller reports it); blank lines count as nothing.
   */
  matchLine(buf: Buffer, start: number, end: number, source: EventRef): boolean {
    let s = start;
    while (s < end && (buf[s] === 0x20 || buf[s] === 0x09 || buf[s] === 0x0d)) s++;
    let e = end;
    while (e > s && (buf[e - 1] === 0x20 || buf[e - 1] === 0x09 || buf[e - 1] === 0x0d)) e--;
    if (s === e) return true;
    this.stats.events++;
    // Lines the prefilter decides are never parsed; the cheap shape check catches truncated lines.
    if (buf[s] !== 0x7b || buf[e - 1] !== 0x7d) {
      this.stats.corrupt++;
      return false;
    }
    // Route first (one SIMD pass over the bytes: LineRouter); the literal scan then runs only for lines
    // whose candidate set is not empty, and over that set's own (small) automaton.
    const router = this.router;
    router.route(buf, s, e);
    const { channelAt, eventIdAt, unsafe } = router;
    let set: CandidateSet | undefined;
    // A line with `\u` escapes may spell a key so that the search above misses it: such lines are routed
    // after parsing.
    if (!unsafe) {
      const ch = channelAt >= 0 ? this.channel(buf, channelAt, e) : channelAt === -1 ? undefined : null;
      const eid = eventIdAt >= 0 ? readEventId(buf, eventIdAt, e) : eventIdAt === -1 ? undefined : null;
      if (ch !== null && eid !== null) {
        // Consecutive lines mostly share channel and EventID: skip the keyed lookup then.
        if (ch === this.lastChannel && eid === this.lastEventId && this.lastSet) set = this.lastSet;
        else {
          set = this.candidates(ch, eid);
          this.lastChannel = ch;
          this.lastEventId = eid;
          this.lastSet = set;
        }
      }
    }
    if (set && set.rules.length === 0 && this.from === -Infinity && this.to === Infinity) {
      this.stats.skipped++;
      return true;
    }
    let rules: readonly CompiledRule[] | undefined = set?.rules;
    let sc: LiteralScanner | undefined;
    // A line that writes `/` as `\/` is not prefiltered where literals hold `/` (it is still routed).
    if (set?.prefilter && !unsafe && !(set.slash && router.slash)) {
      sc = this.prefilter.scannerFor(set);
      // Short literals (a regex pass over the line) are looked for only when a rule that could survive
      // needs one: most lines of the sets that have them are decided without.
      sc.scanLong(buf, s, e, ++this.stamp);
      let survivors = this.prefilter.survivors(set, sc);
      if (this.prefilter.needsShort(set, sc, survivors)) {
        sc.searchShort(buf, s, e);
        survivors = this.prefilter.survivors(set, sc);
      }
      if (survivors.length === 0) {
        this.stats.skipped++;
        return true;
      }
      rules = survivors;
    }
    // Matchers skip a needle whose literal the scan looked for and missed (not where the engine computes
    // values: keywords search those too, and their text is not in the line).
    const known = this.lineLiterals;
    if (sc && !set!.computed) {
      known.scanned = sc.shortDone ? sc.looked : sc.lookedLong;
      for (let h = 0; h < sc.hitCount; h++) known.found[sc.hits[h]!] = this.stamp;
      known.stamp = this.stamp;
    }
    try {
      return this.readLine(buf, s, e, rules, set, sc, source);
    } finally {
      known.stamp = 0;
    }
  }

  /**
   * readChannel for the `"Channel"` key ending at buf[at], the last channel reused when the line spells it
   * with the same bytes right after `"Channel":"` (consecutive lines mostly share it; decoding it took
   * ≈ 0.3 µs a line). The same bytes without a backslash, then the closing quote, are the same string.
   */
  private channel(buf: Buffer, at: number, e: number): string | undefined | null {
    const plain = buf[at] === 0x3a && buf[at + 1] === 0x22;
    const raw = this.channelRaw;
    if (plain && raw !== undefined) {
      const from = at + 2;
      const end = from + raw.length;
      if (end < e && buf[end] === 0x22) {
        let k = 0;
        while (k < raw.length && buf[from + k] === raw[k]) k++;
        if (k === raw.length) return this.channelText;
      }
    }
    const ch = readChannel(buf, at, e);
    this.channelRaw = undefined;
    if (plain && typeof ch === 'string') {
      const len = Buffer.byteLength(ch);
      if (buf[at + 2 + len] === 0x22) {
        this.channelRaw = Uint8Array.prototype.slice.call(buf, at + 2, at + 2 + len);
        this.channelText = ch;
      }
    }
    return ch;
  }

  /**
   * The rest of matchLine: read buf[s, e) (raw, else parsed) and evaluate `rules` (undefined: route the
   * event); `set` and `sc` when the line was scanned.
   */
  private readLine(
    buf: Buffer,
    s: number,
    e: number,
    rules: readonly CompiledRule[] | undefined,
    set: CandidateSet | undefined,
    sc: LiteralScanner | undefined,
    source: EventRef,
  ): boolean {
    // The evtx JSON shape is read without parsing; the reader declines anything it does not mirror exactly.
    const raw = this.reader.read(buf, s, e);
    if (raw) {
      // Now that the fields' places are known, a literal that occurred only outside its clause's fields
      // no longer keeps a rule.
      if (sc) rules = this.prefilter.refine(set!, sc, rules!, this.reader, s);
      this.evaluate(raw, rules ?? this.candidates(raw.channel, raw.eventId).rules, source);
      return true;
    }
    let obj: unknown;
    this.stats.parsed++;
    try {
      obj = JSON.parse(buf.toString('utf8', s, e));
    } catch {
      this.stats.corrupt++;
      return false;
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
      this.stats.corrupt++;
      return false;
    }
    const ev = toEventView(obj);
    this.evaluate(ev, rules ?? this.candidates(ev.channel, ev.eventId).rules, source);
    return true;
  }

  private evaluate(ev: EventView, rules: readonly CompiledRule[], source: EventRef): void {
    // An event's time is read only for what needs it (time filters, correlations), not for every event.
    if (this.timed)
      if (Number.isNaN(ev.time)) {
        this.stats.untimed++;
        if (this.from !== -Infinity || this.to !== Infinity) return;
      } else if (ev.time < this.from || ev.time >= this.to) return;
    let src: EventRef | undefined;
    // What hits carry: a view that outlives the line (a raw view is reused for the next line).
    let kept: EventView | undefined;
    for (const r of rules) {
      if (!r.match(ev)) continue;
      src ??= hitRef(source, ev);
      if (r.report)
        this.sink({
          kind: 'rule',
          rule: r,
          event: this.transient ? ev : (kept ??= detached(ev)),
          source: src,
        });
      if (r.feeds.length > 0 && !Number.isNaN(ev.time)) {
        kept ??= detached(ev);
        for (const [corr, ref] of r.feeds)
          this.reorder.push({ time: ev.time, corr, ref, ev: kept, source: src });
      }
    }
    this.stats.late = this.reorder.late;
  }

  /** End of input: release held correlation inputs and close every window. */
  finish(): void {
    this.reorder.flush();
    for (const c of this.correlations) c.flush();
    this.stats.late = this.reorder.late;
  }
}
