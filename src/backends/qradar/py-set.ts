/**
 * The iteration order of a CPython (3.x) set of small non-negative integers built by adding the
 * values one by one. The reference writes `devicetype IN(…)` from such a set, so byte-compatible
 * output needs the same order: open addressing, 9 linear probes, then perturbed probing, and a
 * resize to the next power of two above 4×used once the table is 3/5 full.
 */
const LINEAR_PROBES = 9;
const PERTURB_SHIFT = 5;

function insertClean(table: (number | undefined)[], mask: number, value: number): void {
  let perturb = value;
  let i = value & mask;
  for (;;) {
    if (table[i] === undefined) {
      table[i] = value;
      return;
    }
    if (i + LINEAR_PROBES <= mask) {
      for (let j = 1; j <= LINEAR_PROBES; j++) {
        if (table[i + j] === undefined) {
          table[i + j] = value;
          return;
        }
      }
    }
    perturb = Math.floor(perturb / 2 ** PERTURB_SHIFT);
    i = (i * 5 + 1 + perturb) & mask;
  }
}

export function pySetOrder(values: readonly number[]): number[] {
  let table: (number | undefined)[] = new Array<number | undefined>(8).fill(undefined);
  let mask = 7;
  let used = 0;
  for (const v of values) {
    if (table.includes(v)) continue;
    insertClean(table, mask, v);
    used++;
    if (used * 5 >= mask * 3) {
      let size = 8;
      while (size <= used * 4) size *= 2;
      const old = table;
      table = new Array<number | undefined>(size).fill(undefined);
      mask = size - 1;
      for (const x of old) if (x !== undefined) insertClean(table, mask, x);
    }
  }
  return table.filter((x): x is number => x !== undefined);
}
