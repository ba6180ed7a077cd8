/**
 * Arrays that stay in memory (the AST of every rule, then its IR, live until a conversion ends) are
 * given exactly the room they use. V8 grows an array built by push to 17 slots on its first element,
 * so a one-item list costs ~120 bytes more than it needs; over a corpus of rules that is megabytes the
 * garbage collector copies again and again.
 */

/** `a` itself when empty (no element storage), else a copy of exactly its length. */
export function packed<T>(a: T[]): T[] {
  return a.length === 0 ? a : a.slice();
}

/**
 * Where a list's length is known before it is built (the YAML tape counts a node's children), it is
 * allocated at that size and filled by index, with no growth and no copy; `upTo` cuts it to the `n`
 * elements written when some were skipped.
 */
export function upTo<T>(a: T[], n: number): T[] {
  if (n < a.length) a.length = n;
  return a;
}
