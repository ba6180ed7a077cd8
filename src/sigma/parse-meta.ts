/**
 * The attributes every Sigma document has (title, id, tags, related, logsource…): read from the YAML
 * tape into SigmaMeta, with the schema diagnostics. Rules, filters and correlations are in parse.ts.
 */
import type { Span } from '../diagnostics/index.js';
import type { Logsource, SigmaMeta } from './ast.js';
import { packed, upTo } from './packed.js';
import { DetectionParser } from './parse-detection.js';
import { MAP, SCALAR, SEQ } from './yaml-tape.js';

export const META_KEYS = new Set([
  'title',
  'id',
  'name',
  'related',
  'taxonomy',
  'status',
  'description',
  'license',
  'author',
  'references',
  'date',
  'modified',
  'tags',
  'level',
  'falsepositives',
  'fields',
  'scope',
]);
/** Optional string attributes of SigmaMeta, in the order they are added to it. */
const OPTIONAL_STRING_KEYS = [
  'id',
  'name',
  'status',
  'description',
  'license',
  'author',
  'date',
  'modified',
  'level',
  'taxonomy',
] as const;

/** The top-level attributes the parser reads; their entries are found in one pass over a document. */
const TOP_KEYS = [
  'title',
  'related',
  'references',
  'tags',
  'falsepositives',
  'fields',
  'scope',
  'logsource',
  'detection',
  'correlation',
  'filter',
  'generate',
  ...OPTIONAL_STRING_KEYS,
] as const;
type TopKey = (typeof TOP_KEYS)[number];
const TOP_SLOT: ReadonlyMap<string, number> = new Map(TOP_KEYS.map((k, i) => [k, i]));
/** TOP_SLOT as an object, for constant keys (`at('title')` compiles to a constant index). */
const SLOT = Object.fromEntries(TOP_SLOT) as Readonly<Record<TopKey, number>>;
/** The string-list attributes of SigmaMeta. */
const LIST_KEYS = ['references', 'tags', 'falsepositives', 'fields', 'scope'] as const;

/**
 * Key record of each of TOP_KEYS in the document being parsed (-1: absent). Shared: a document is
 * parsed to the end before the next one starts.
 */
const top = new Int32Array(TOP_KEYS.length);

export class MetaParser extends DetectionParser {
  /** Finds the top-level attributes of the document at `root` (a mapping), in one pass. */
  protected attributes(root: number): void {
    const tape = this.tape;
    top.fill(-1);
    for (let e = root + 1; e < tape.end[root]!; e = tape.end[e]!) {
      const slot = TOP_SLOT.get(tape.keyOf(e));
      if (slot !== undefined && top[slot]! < 0) top[slot] = e;
    }
  }

  /** The key record of the document's attribute `key` (-1: absent). */
  protected at(key: TopKey): number {
    return top[SLOT[key]]!;
  }

  /** The string value of the entry at key record `e` (-1: absent). */
  protected str(e: number, path: string): string | undefined {
    if (e < 0) return undefined;
    const tape = this.tape;
    const v = e + 1;
    if (tape.kind[v] === SCALAR) {
      const x = tape.value[v]!;
      if (x === null) return undefined;
      if (typeof x === 'string') return x;
      return tape.raw[v] || String(x);
    }
    this.diag('TL1012', `'${path}' must be a string`, tape.span(v), [path]);
    return undefined;
  }

  protected strList(e: number, path: string): string[] {
    if (e < 0) return [];
    const tape = this.tape;
    const v = e + 1;
    if (tape.kind[v] === SCALAR) return tape.value[v] === null ? [] : [String(tape.value[v])];
    if (tape.kind[v] === SEQ) {
      const out = new Array<string>(tape.count(v));
      let n = 0;
      let i = 0;
      for (let it = v + 1; it < tape.end[v]!; it = tape.end[it]!, i++) {
        const x = tape.value[it];
        if (tape.kind[it] !== SCALAR)
          this.diag('TL1012', `'${path}' items must be strings`, tape.span(it), [path, i]);
        else if (x !== null && x !== undefined)
          out[n++] = typeof x === 'string' ? x : tape.raw[it] || String(x);
      }
      return upTo(out, n);
    }
    this.diag('TL1012', `'${path}' must be a list of strings`, tape.span(v), [path]);
    return [];
  }

  protected meta(root: number, index: number, known: Set<string>, span: Span): SigmaMeta {
    const tape = this.tape;
    const keySpans: Record<string, Span> = {};
    const custom: Record<string, unknown> = {};
    for (let e = root + 1; e < tape.end[root]!; e = tape.end[e]!) {
      const key = tape.keyOf(e);
      keySpans[key] = tape.span(e);
      if (!known.has(key)) custom[key] = tape.plain(e + 1);
    }
    const titleE = this.at('title');
    const title = this.str(titleE, 'title');
    if (title === undefined)
      this.diag(
        'TL1011',
        "required attribute 'title' is missing",
        titleE >= 0 ? tape.span(titleE + 1) : span,
        ['title'],
      );
    const related = this.related(this.at('related'));
    // One call site for the five lists (in the order their diagnostics come).
    const lists: string[][] = [];
    for (const k of LIST_KEYS) lists.push(this.strList(this.at(k), k));
    const m: SigmaMeta = {
      file: this.file,
      index,
      span,
      title: title ?? '',
      references: lists[0]!,
      tags: lists[1]!,
      falsepositives: lists[2]!,
      fields: lists[3]!,
      related,
      scope: lists[4]!,
      custom,
      keySpans,
      raw: tape.plain(root) as Record<string, unknown>,
    };
    for (const k of OPTIONAL_STRING_KEYS) {
      const e = this.at(k);
      // YAML may read an unquoted date as a number-like or other scalar; keep the source text.
      const x = e >= 0 ? tape.scalarValue(e + 1) : undefined;
      const v =
        x !== undefined && x !== null ? (typeof x === 'string' ? x : tape.raw[e + 1]) : this.str(e, k);
      if (v !== undefined) m[k] = v;
    }
    return m;
  }

  private related(relE: number): SigmaMeta['related'] {
    const related: SigmaMeta['related'] = [];
    if (relE < 0) return related;
    const tape = this.tape;
    const v = relE + 1;
    if (tape.kind[v] !== SEQ) {
      this.diag('TL1024', "'related' must be a list of {id, type}", tape.span(v), ['related']);
      return related;
    }
    let i = 0;
    for (let it = v + 1; it < tape.end[v]!; it = tape.end[it]!, i++) {
      if (tape.kind[it] !== MAP) {
        this.diag('TL1024', "'related' entries must be mappings with 'id' and 'type'", tape.span(it), [
          'related',
          i,
        ]);
        continue;
      }
      const id = this.str(tape.entry(it, 'id'), 'related.id');
      const type = this.str(tape.entry(it, 'type'), 'related.type');
      if (id === undefined || type === undefined) {
        this.diag('TL1024', "'related' entries need both 'id' and 'type'", tape.span(it), ['related', i]);
        continue;
      }
      related.push({ id, type });
    }
    return packed(related);
  }

  protected logsource(required: boolean, rootSpan: Span): Logsource | undefined {
    const tape = this.tape;
    const e = this.at('logsource');
    if (e < 0) {
      if (required) this.diag('TL1011', "required attribute 'logsource' is missing", rootSpan, ['logsource']);
      return undefined;
    }
    const v = e + 1;
    if (tape.kind[v] !== MAP) {
      this.diag(
        'TL1030',
        "'logsource' must be a mapping (category, product, service, definition)",
        tape.span(v),
        ['logsource'],
      );
      return undefined;
    }
    const ls: Logsource = { custom: {}, span: tape.span(v) };
    for (let le = v + 1; le < tape.end[v]!; le = tape.end[le]!) {
      const key = tape.keyOf(le);
      if (tape.kind[le + 1] !== SCALAR) {
        this.diag('TL1030', `'logsource.${key}' must be a string`, tape.span(le + 1), ['logsource', key]);
        continue;
      }
      const x = tape.value[le + 1]!;
      const s = x === null ? undefined : String(x);
      if (key === 'category' || key === 'product' || key === 'service' || key === 'definition') {
        if (s !== undefined) ls[key] = s;
      } else ls.custom[key] = x;
    }
    return ls;
  }
}
