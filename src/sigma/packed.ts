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
