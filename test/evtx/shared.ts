import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { walkFiles } from '../../src/util/files.js';
import { sharedDir } from '../helpers/shared.js';

export const SHARED = sharedDir;
export const ATTACK_SAMPLES = resolve(SHARED, 'evtx/attack-samples');
export const REGRESSION_DATA = resolve(SHARED, 'corpus/sigmahq/regression_data');

export function haveShared(): boolean {
  return existsSync(ATTACK_SAMPLES) && existsSync(REGRESSION_DATA);
}

export function evtxFiles(dir: string): string[] {
  return walkFiles([dir], ['.evtx']).files;
}

/** JSON values written back to back (as some regression .json files hold), arrays flattened. */
export function parseConcatenatedJson(text: string): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i] ?? '')) i++;
    if (i >= text.length) break;
    let depth = 0;
    let inString = false;
    let escaped = false;
    let j = i;
    for (; j < text.length; j++) {
      const c = text[j];
      if (inString) {
        if (escaped) escaped = false;
        else if (c === '\\') escaped = true;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) {
          j++;
          break;
        }
      }
    }
    const value: unknown = JSON.parse(text.slice(i, j));
    if (Array.isArray(value)) out.push(...(value as unknown[]));
    else out.push(value);
    i = j;
  }
  return out;
}
