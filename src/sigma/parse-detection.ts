/**
 * The detection part of a Sigma document (selections, items with modifiers, values, conditions), shared
 * by rules and filters. Document-level attributes are parsed in parse.ts. Both read the document from a
 * YAML tape (yaml-tape.ts): `n` below is the index of a node's record.
 */
import type { Diagnostic, Span } from '../diagnostics/index.js';
import type {
  Condition,
  Detection,
  DetectionGroup,
  DetectionItem,
  Modifier,
  NamedDetection,
  SigmaScalar,
} from './ast.js';
import { parseCondition } from './condition.js';
import { canonicalModifier, suggestModifier } from './modifiers.js';
import { packed, upTo } from './packed.js';
import { MAP, SCALAR, SEQ } from './yaml-tape.js';
import type { YTape } from './yaml-tape.js';

type Path = (string | number)[];

export class DetectionParser {
  constructor(
    readonly file: string,
    readonly diagnostics: Diagnostic[],
    readonly tape: YTape,
  ) {}

  diag(
    code: Diagnostic['code'],
    message: string,
    span: Span,
    path?: Path,
    severity?: Diagnostic['severity'],
  ): void {
    const d: Diagnostic = {
      code,
      severity: severity ?? defaultSeverity(code),
      message,
      file: this.file,
      span,
    };
    if (path) d.path = path;
    this.diagnostics.push(d);
  }

  detection(n: number, path: Path, needCondition: boolean): Detection | undefined {
    const tape = this.tape;
    if (tape.kind[n] !== MAP) {
      this.diag(
        'TL1031',
        `'${path.join('.')}' must be a mapping of selections and a 'condition'`,
        tape.span(n),
        path,
      );
      return undefined;
    }
    const span = tape.span(n);
    const selections = new Array<NamedDetection>(tape.count(n));
    let count = 0;
    const conditions: Condition[] = [];
    let timeframe: string | undefined;
    for (let e = n + 1; e < tape.end[n]!; e = tape.end[e]!) {
      const key = tape.keyOf(e);
      const v = e + 1;
      if (key === 'condition') {
        if (tape.kind[v] === SEQ) {
          for (let it = v + 1; it < tape.end[v]!; it = tape.end[it]!)
            this.conditionItem(it, path, conditions);
        } else this.conditionItem(v, path, conditions);
      } else if (key === 'timeframe') {
        timeframe = tape.kind[v] === SCALAR ? String(tape.value[v]) : undefined;
      } else {
        // The key's span first: the selection's own span (its first key's) is then the same object.
        const keySpan = tape.span(e);
        const body = this.selection(v, path, key);
        if (body) selections[count++] = { name: key, span: keySpan, body };
      }
    }
    if (conditions.length === 0 && needCondition) {
      this.diag('TL2006', `'${path.join('.')}' has no 'condition'`, span, [...path, 'condition']);
    }
    const d: Detection = { selections: upTo(selections, count), conditions: packed(conditions), span };
    if (timeframe !== undefined) d.timeframe = timeframe;
    return d;
  }

  private conditionItem(it: number, path: Path, conditions: Condition[]): void {
    const tape = this.tape;
    if (tape.kind[it] !== SCALAR || typeof tape.value[it] !== 'string') {
      this.diag('TL2001', 'condition must be a string (or a list of strings)', tape.span(it), [
        ...path,
        'condition',
      ]);
      return;
    }
    conditions.push(this.condition(it));
  }

  private condition(it: number): Condition {
    const tape = this.tape;
    const text = String(tape.value[it]);
    const raw = tape.raw[it]!;
    const quoted = tape.isQuoted(it);
    const single =
      !text.includes('\n') && (tape.isPlain(it) || quoted) && !raw.includes('\\') && !raw.includes("''");
    const span = tape.span(it);
    const at = (i: number): Span =>
      single ? { line: span.line, column: span.column + (quoted ? 1 : 0) + i } : span;
    const r = parseCondition(text, at, this.file);
    this.diagnostics.push(...r.diagnostics);
    const c: Condition = { text, span };
    if (r.ast) c.ast = r.ast;
    return c;
  }

  /**
   * The selection `key` (a path element under `parent`): map (AND), list of maps/values (OR), or a single
   * value (keyword).
   */
  selection(n: number, parent: Path, key: string | number): DetectionGroup | undefined {
    const tape = this.tape;
    const kind = tape.kind[n];
    const span = tape.span(n);
    if (kind === MAP) {
      const items = new Array<DetectionItem>(tape.count(n));
      let count = 0;
      for (let e = n + 1; e < tape.end[n]!; e = tape.end[e]!) {
        const it = this.item(tape.keyOf(e), tape.span(e), e + 1, parent, key);
        if (it) items[count++] = it;
      }
      if (tape.end[n] === n + 1) this.diag('TL1031', 'empty selection', span, [...parent, key]);
      return { kind: 'DetectionGroup', linking: 'and', items: upTo(items, count), span };
    }
    if (kind === SEQ) {
      const end = tape.end[n]!;
      if (end === n + 1) {
        this.diag('TL1031', 'empty selection list', span, [...parent, key]);
        return { kind: 'DetectionGroup', linking: 'or', items: [], span };
      }
      let allScalars = true;
      let size = 0;
      for (let x = n + 1; x < end; x = tape.end[x]!, size++) if (tape.kind[x] !== SCALAR) allScalars = false;
      if (allScalars) {
        const values = new Array<SigmaScalar>(size);
        let k = 0;
        for (let x = n + 1; x < end; x = tape.end[x]!) values[k++] = this.scalar(x);
        return {
          kind: 'DetectionGroup',
          linking: 'and',
          items: [
            {
              kind: 'DetectionItem',
              key: '',
              modifiers: [],
              values,
              isList: true,
              span,
            },
          ],
          span,
        };
      }
      const items = new Array<DetectionItem | DetectionGroup>(size);
      let count = 0;
      let i = 0;
      for (let x = n + 1; x < end; x = tape.end[x]!, i++) {
        if (tape.kind[x] === SCALAR) {
          const value = this.scalar(x);
          items[count++] = {
            kind: 'DetectionItem',
            key: '',
            modifiers: [],
            values: [value],
            isList: false,
            span: value.span,
          };
        } else if (tape.kind[x] === MAP) {
          const g = this.selection(x, [...parent, key], i);
          if (g) items[count++] = g;
        } else {
          this.diag('TL1031', 'nested lists are not valid in a selection', tape.span(x), [...parent, key, i]);
        }
      }
      return { kind: 'DetectionGroup', linking: 'or', items: upTo(items, count), span };
    }
    return {
      kind: 'DetectionGroup',
      linking: 'and',
      items: [
        {
          kind: 'DetectionItem',
          key: '',
          modifiers: [],
          values: [this.scalar(n, span)],
          isList: false,
          span,
        },
      ],
      span,
    };
  }

  /** The scalar at x (`span`: its span, when already made). */
  private scalar(x: number, span: Span = this.tape.span(x)): SigmaScalar {
    const v = this.tape.value[x]!;
    if (v === null) return { kind: 'null', span };
    if (typeof v === 'boolean') return { kind: 'boolean', value: v, span };
    if (typeof v === 'number') return { kind: 'number', value: v, raw: this.tape.raw[x] || String(v), span };
    return { kind: 'string', value: v, span };
  }

  /**
   * The item `key: value` of a selection, where the selection is path element `selection` under
   * `parent` (the item's own path adds `key`).
   */
  private item(
    key: string,
    keySpan: Span,
    value: number,
    parent: Path,
    selection: string | number,
  ): DetectionItem | undefined {
    const tape = this.tape;
    const bar = key.indexOf('|');
    const fieldName = bar < 0 ? key : key.slice(0, bar);
    let modifiers: Modifier[] = [];
    let ok = true;
    if (bar >= 0) {
      let col = keySpan.column + fieldName.length + 1;
      const written = key.slice(bar + 1).split('|');
      modifiers = new Array<Modifier>(written.length);
      let m = 0;
      for (const w of written) {
        const span = { line: keySpan.line, column: col, endLine: keySpan.line, endColumn: col + w.length };
        const name = canonicalModifier(w);
        if (!name) {
          const hint = suggestModifier(w);
          this.diag('TL3001', `unknown modifier '${w}'${hint ? ` (did you mean '${hint}'?)` : ''}`, span, [
            ...parent,
            selection,
            key,
          ]);
          ok = false;
        } else modifiers[m++] = { name, written: name === w ? name : w, span };
        col += w.length + 1;
      }
    }
    let values: SigmaScalar[];
    let isList = false;
    const kind = tape.kind[value];
    if (kind === SCALAR) values = [this.scalar(value)];
    else if (kind === SEQ) {
      isList = true;
      values = new Array<SigmaScalar>(tape.count(value));
      let i = 0;
      for (let x = value + 1; x < tape.end[value]!; x = tape.end[x]!, i++) {
        if (tape.kind[x] === SCALAR) values[i] = this.scalar(x);
        else {
          this.diag(
            'TL1031',
            `values of '${key}' must be plain values, not ${tape.kind[x] === MAP ? 'mappings' : 'lists'}`,
            tape.span(x),
            [...parent, selection, key, i],
          );
          ok = false;
        }
      }
    } else {
      this.diag(
        'TL1031',
        `the value of '${key}' must be a value or a list of values, not a mapping (check the indentation)`,
        tape.span(value),
        [...parent, selection, key],
      );
      return undefined;
    }
    if (!ok) return undefined;
    const it: DetectionItem = {
      kind: 'DetectionItem',
      key,
      modifiers,
      values,
      isList,
      span: keySpan,
    };
    if (fieldName !== '') it.field = fieldName;
    return it;
  }
}

function defaultSeverity(code: Diagnostic['code']): Diagnostic['severity'] {
  return code === 'TL1004' || code === 'TL1028' ? 'warning' : code === 'TL1022' ? 'warning' : 'error';
}
