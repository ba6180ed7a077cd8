/**
 * Microsoft's own Kusto parser and semantic analyzer (@kusto/language-service-next, a Bridge.NET
 * build of Kusto.Language) with the table schemas the kusto pipelines declare. The package sets
 * globals (`Bridge`, `Kusto`) when loaded as CommonJS; this wrapper gives it a small typed face.
 */
import { createRequire } from 'node:module';
import type { KustoType, TableSchema } from '../../src/backends/kusto/schemas.js';
import { ASIM_TABLES, AZURE_MONITOR_TABLES, XDR_TABLES } from '../../src/backends/kusto/schemas.js';

interface KDiagnostic {
  Code: string;
  Message: string;
  Severity: string;
  Start: number;
}

interface KList<T> {
  Count: number;
  getItem(i: number): T;
}

interface KustoGlobal {
  Language: {
    Symbols: {
      ScalarTypes: Record<string, unknown>;
      ColumnSymbol: new (name: string, type: unknown) => unknown;
      TableSymbol: { $ctor4: new (name: string, columns: unknown[]) => unknown };
      DatabaseSymbol: { ctor: new (name: string, tables: unknown[]) => unknown };
    };
    GlobalState: { Default: { WithDatabase(db: unknown): unknown } };
    KustoCode: { ParseAndAnalyze(text: string, globals: unknown): { GetDiagnostics(): KList<KDiagnostic> } };
  };
}

export interface KqlProblem {
  code: string;
  message: string;
  /** syntax: the text does not parse; name: unknown column/table/function; type: operand types; other. */
  kind: 'syntax' | 'name' | 'type' | 'limit' | 'other';
}

const SYNTAX = new Set(['KS001', 'KS002', 'KS003', 'KS004', 'KS005', 'KS006', 'KS007', 'KS198']);
const NAME = new Set(['KS142', 'KS204', 'KS211']);
const TYPE = new Set(['KS106', 'KS107', 'KS141']);
const LIMIT = new Set(['KS245']);

let kusto: KustoGlobal | undefined;

function load(): KustoGlobal {
  if (kusto) return kusto;
  const require = createRequire(import.meta.url);
  require('@kusto/language-service-next/bridge.min.js');
  require('@kusto/language-service-next/Kusto.Language.Bridge.min.js');
  kusto = (globalThis as unknown as { Kusto: KustoGlobal }).Kusto;
  return kusto;
}

export class KqlChecker {
  private readonly globals: unknown;
  private readonly k = load();

  constructor(
    tables: Readonly<Record<string, TableSchema>> = {
      ...XDR_TABLES,
      ...ASIM_TABLES,
      ...AZURE_MONITOR_TABLES,
    },
  ) {
    const S = this.k.Language.Symbols;
    const typeOf: Record<KustoType, unknown> = {
      string: S.ScalarTypes['String'],
      long: S.ScalarTypes['Long'],
      int: S.ScalarTypes['Int'],
      real: S.ScalarTypes['Real'],
      bool: S.ScalarTypes['Bool'],
      datetime: S.ScalarTypes['DateTime'],
      dynamic: S.ScalarTypes['Dynamic'],
      guid: S.ScalarTypes['Guid'],
      timespan: S.ScalarTypes['TimeSpan'],
    };
    const symbols = Object.entries(tables).map(
      ([name, cols]) =>
        new S.TableSymbol.$ctor4(
          name,
          Object.entries(cols).map(([c, t]) => new S.ColumnSymbol(c, typeOf[t])),
        ),
    );
    this.globals = this.k.Language.GlobalState.Default.WithDatabase(new S.DatabaseSymbol.ctor('db', symbols));
  }

  check(query: string): KqlProblem[] {
    const list = this.k.Language.KustoCode.ParseAndAnalyze(query, this.globals).GetDiagnostics();
    const out: KqlProblem[] = [];
    for (let i = 0; i < list.Count; i++) {
      const d = list.getItem(i);
      const kind = SYNTAX.has(d.Code)
        ? 'syntax'
        : NAME.has(d.Code)
          ? 'name'
          : TYPE.has(d.Code)
            ? 'type'
            : LIMIT.has(d.Code)
              ? 'limit'
              : 'other';
      out.push({ code: d.Code, message: d.Message, kind });
    }
    return out;
  }
}
