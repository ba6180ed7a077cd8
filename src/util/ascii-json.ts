/**
 * Python's json.dumps escapes every character outside printable ASCII (ensure_ascii, the default):
 * JSON text from JSON.stringify becomes what Python writes by turning each character from U+007F up
 * into `\uXXXX` (lower-case hex, one escape per UTF-16 code unit). JSON.stringify already escapes
 * the control characters below U+0020 and lone surrogates.
 */
const NON_ASCII = /[\u007f-\uffff]/g;

export function ensureAscii(json: string): string {
  return json.replace(NON_ASCII, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
