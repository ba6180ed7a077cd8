import type { QueryLanguage } from './highlight.js';

const LANGUAGE_BY_BACKEND: Record<string, QueryLanguage> = {
  splunk: 'spl',
  kusto: 'kql',
  'elastic-lucene': 'lucene',
  'elastic-eql': 'eql',
  'elastic-esql': 'esql',
  qradar: 'aql',
  sumologic: 'sumo',
  secops: 'yaral',
  logscale: 'cql',
};

/** The highlighter language for a conversion target. */
export function languageOf(backend: string): QueryLanguage {
  return LANGUAGE_BY_BACKEND[backend] ?? 'kql';
}
