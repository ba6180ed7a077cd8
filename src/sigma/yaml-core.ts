/** Plain YAML scalars → values, as the `yaml` package resolves them plus the YAML 1.1 booleans. */
import type { YScalarValue } from './yaml-reader.js';

const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
// YAML 1.1 booleans (yes/no/on/off) as well: Sigma tools read rules with PyYAML, which is YAML 1.1.
const TRUES = new Set(['true', 'True', 'TRUE', 'yes', 'Yes', 'YES', 'on', 'On', 'ON']);
const FALSES = new Set(['false', 'False', 'FALSE', 'no', 'No', 'NO', 'off', 'Off', 'OFF']);
const INT_RE = /^[-+]?\d+$/;
const FLOAT_RE = /^[-+]?(?:\.\d+|\d+(?:\.\d*)?)(?:e[-+]?\d+)?$/i;

/**
 * Most plain scalars are strings (paths, command lines): only those starting with a digit, sign or dot
 * can be numbers, and only short ones can be null or a boolean, so the regular expressions below run on
 * few values.
 */
export function coreScalar(s: string): YScalarValue {
  const c = s.charCodeAt(0);
  // A digit, -, + or .
  if ((c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2b || c === 0x2e) {
    if (INT_RE.test(s)) return Number(s);
    if (/^0o[0-7]+$/.test(s)) return parseInt(s.slice(2), 8);
    if (/^0x[0-9a-fA-F]+$/.test(s)) return parseInt(s.slice(2), 16);
    if (FLOAT_RE.test(s)) return Number(s);
    if (/^[-+]?\.(?:inf|Inf|INF)$/.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
    if (/^\.(?:nan|NaN|NAN)$/.test(s)) return NaN;
  } else if (s.length <= 5) {
    if (NULLS.has(s)) return null;
    if (TRUES.has(s)) return true;
    if (FALSES.has(s)) return false;
  }
  return s;
}
