/**
 * The detection part of a Sigma document (selections, items with modifiers, values, conditions), shared
 * by rules and filters. Document-level attributes are parsed in parse.ts.
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
import { packed } from './packed.js';
import type { YNode } from './yaml-reader.js';

export class DetectionParser {
  constructor(
    readonly file: string,
    readonly diagnostics: Diagnostic[],
    readonly text: string,
  ) {}

  diag(
    code: Diagnostic['code'],
    message: string,
    span: Span,
    path?: (string | number)[],
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

  detection(n: YNode, path: (string | number)[], needCondition: boolean): Detection | undefined {
    if (n.kind !== 'map') {
      this.diag(
        'TL1031',
        `'${path.join('.')}' must be a mapping of selections and a 'condition'`,
        n.span,
        path,
      );
      return undefined;
    }
    const selections: NamedDetection[] = [];
    const conditions: Condition[] = [];
    let timeframe: string | undefined;
    for (const e of n.entries) {
      if (e.key === 'condition') {
        const items = e.value.kind === 'seq' ? e.value.items : [e.value];
        items.forEach((it) => {
          if (it.kind !== 'scalar' || typeof it.value !== 'string') {
            this.diag('TL2001', 'condition must be a string (or a list of strings)', it.span, [
              ...path,
              'condition',
            ]);
            return;
          }
          conditions.push(this.condition(it));
        });
      } else if (e.key === 'timeframe') {
        timeframe = e.value.kind === 'scalar' ? String(e.value.value) : undefined;
      } else {
        const body = this.selection(e.value, [...path, e.key]);
        if (body) selections.push({ name: e.key, span: e.keySpan, body });
      }
    }
    if (conditions.length === 0 && needCondition) {
      this.diag('TL2006', `'${path.join('.')}' has no 'condition'`, n.span, [...path, 'condition']);
    }
    const d: Detection = { selections: packed(selections), conditions: packed(conditions), span: n.span };
    if (timeframe !== undefined) d.timeframe = timeframe;
    return d;
  }

  private condition(it: YNode & { kind: 'scalar' }): Condition {
    const text = String(it.value);
    const single =
      !text.includes('\n') && (it.plain || it.quoted) && !it.raw.includes('\\') && !it.raw.includes("''");
    const at = (i: number): Span =>
      single ? { line: it.span.line, column: it.span.column + (it.quoted ? 1 : 0) + i } : it.span;
    const r = parseCondition(text, at, this.file);
    this.diagnostics.push(...r.diagnostics);
    const c: Condition = { text, span: it.span };
    if (r.ast) c.ast = r.ast;
    return c;
  }

  /** A named selection: map (AND), list of maps/values (OR), or a single value (keyword). */
  selection(n: YNode, path: (string | number)[]): DetectionGroup | undefined {
    if (n.kind === 'map') {
      const items: DetectionItem[] = [];
      for (const e of n.entries) {
        const it = this.item(e.key, e.keySpan, e.value, path);
        if (it) items.push(it);
      }
      if (n.entries.length === 0) this.diag('TL1031', 'empty selection', n.span, path);
      return { kind: 'DetectionGroup', linking: 'and', items: packed(items), span: n.span };
    }
    if (n.kind === 'seq') {
      if (n.items.length === 0) {
        this.diag('TL1031', 'empty selection list', n.span, path);
        return { kind: 'DetectionGroup', linking: 'or', items: [], span: n.span };
      }
      if (n.items.every((x) => x.kind === 'scalar')) {
        const values = n.items.map((x) => this.scalar(x));
        return {
          kind: 'DetectionGroup',
          linking: 'and',
          items: [{ kind: 'DetectionItem', key: '', modifiers: [], values, isList: true, span: n.span }],
          span: n.span,
        };
      }
      const items: (DetectionItem | DetectionGroup)[] = [];
      n.items.forEach((x, i) => {
        if (x.kind === 'scalar') {
          items.push({
            kind: 'DetectionItem',
            key: '',
            modifiers: [],
            values: [this.scalar(x)],
            isList: false,
            span: x.span,
          });
        } else if (x.kind === 'map') {
          const g = this.selection(x, [...path, i]);
          if (g) items.push(g);
        } else {
          this.diag('TL1031', 'nested lists are not valid in a selection', x.span, [...path, i]);
        }
      });
      return { kind: 'DetectionGroup', linking: 'or', items: packed(items), span: n.span };
    }
    return {
      kind: 'DetectionGroup',
      linking: 'and',
      items: [
        {
          kind: 'DetectionItem',
          key: '',
          modifiers: [],
          values: [this.scalar(n)],
          isList: false,
          span: n.span,
        },
      ],
      span: n.span,
    };
  }

  private scalar(x: YNode & { kind: 'scalar' }): SigmaScalar {
    const v = x.value;
    if (v === null) return { kind: 'null', span: x.span };
    if (typeof v === 'boolean') return { kind: 'boolean', value: v, span: x.span };
    if (typeof v === 'number') return { kind: 'number', value: v, raw: x.raw || String(v), span: x.span };
    return { kind: 'string', value: v, span: x.span };
  }

  /** `selectionPath` is the path of the selection holding the item (its own path adds `key`). */
  private item(
    key: string,
    keySpan: Span,
    value: YNode,
    selectionPath: (string | number)[],
  ): DetectionItem | undefined {
    const bar = key.indexOf('|');
    const fieldName = bar < 0 ? key : key.slice(0, bar);
    const modifiers: Modifier[] = [];
    let ok = true;
    if (bar >= 0) {
      let col = keySpan.column + fieldName.length + 1;
      for (const w of key.slice(bar + 1).split('|')) {
        const span = { line: keySpan.line, column: col, endLine: keySpan.line, endColumn: col + w.length };
        const name = canonicalModifier(w);
        if (!name) {
          const hint = suggestModifier(w);
          this.diag('TL3001', `unknown modifier '${w}'${hint ? ` (did you mean '${hint}'?)` : ''}`, span, [
            ...selectionPath,
            key,
          ]);
          ok = false;
        } else modifiers.push({ name, written: w, span });
        col += w.length + 1;
      }
    }
    let values: SigmaScalar[] = [];
    let isList = false;
    if (value.kind === 'scalar') values = [this.scalar(value)];
    else if (value.kind === 'seq') {
      isList = true;
      for (let i = 0; i < value.items.length; i++) {
        const x = value.items[i]!;
        if (x.kind === 'scalar') values.push(this.scalar(x));
        else {
          this.diag(
            'TL1031',
            `values of '${key}' must be plain values, not ${x.kind === 'map' ? 'mappings' : 'lists'}`,
            x.span,
            [...selectionPath, key, i],
          );
          ok = false;
        }
      }
    } else {
      this.diag(
        'TL1031',
        `the value of '${key}' must be a value or a list of values, not a mapping (check the indentation)`,
        value.span,
        [...selectionPath, key],
      );
      return undefined;
    }
    if (!ok) return undefined;
    const it: DetectionItem = {
      kind: 'DetectionItem',
      key,
      modifiers: packed(modifiers),
      values: packed(values),
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
