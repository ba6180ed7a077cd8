/**
 * BinXML substitution values: decoding from chunk bytes and the two text renderings we must match
 * exactly — the evtx JSON shape (Rust `evtx` crate, used for event objects) and python-evtx's XML
 * (used for `--format xml`). They differ for binary (hex vs base64), GUIDs (upper, no braces vs
 * lower with braces), times, booleans and floats, so each has its own renderer.
 */

/** Value type codes (MS-EVEN6 / libevtx naming). Array types are `0x80 | base`. */
export const VT = {
  Null: 0x00,
  String: 0x01,
  AnsiString: 0x02,
  Int8: 0x03,
  UInt8: 0x04,
  Int16: 0x05,
  UInt16: 0x06,
  Int32: 0x07,
  UInt32: 0x08,
  Int64: 0x09,
  UInt64: 0x0a,
  Real32: 0x0b,
  Real64: 0x0c,
  Bool: 0x0d,
  Binary: 0x0e,
  Guid: 0x0f,
  SizeT: 0x10,
  FileTime: 0x11,
  SysTime: 0x12,
  Sid: 0x13,
  HexInt32: 0x14,
  HexInt64: 0x15,
  EvtHandle: 0x20,
  BinXml: 0x21,
  EvtXml: 0x23,
  Array: 0x80,
} as const;

/** One scalar payload. 64-bit integers and FILETIMEs are bigint so nothing is rounded. */
export type Scalar = null | number | bigint | string | boolean | Uint8Array;

/** A decoded typed value (strings are decoded to text nodes instead, see binxml.ts). */
export interface EvtxValue {
  t: number;
  v: Scalar | readonly Scalar[];
  /** Undecoded bytes of a string array (python-evtx renders those from the bytes). */
  raw?: Uint8Array;
}

/** Thrown on malformed bytes; caught per record/chunk and turned into a diagnostic. */
export class EvtxFormatError extends Error {
  override name = 'EvtxFormatError';
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const utf16 = new TextDecoder('utf-16le');
const latin1 = new TextDecoder('latin1');

/** UTF-16LE text of `units` code units at `pos`, cut at the first NUL (as both references do). */
export function readUtf16(buf: Uint8Array, pos: number, units: number): string {
  let end = pos;
  const max = pos + units * 2;
  while (end < max && (buf[end] !== 0 || buf[end + 1] !== 0)) end += 2;
  if (end === pos) return '';
  // Short ASCII-only strings are faster to build by hand than through TextDecoder.
  if (end - pos <= 64) {
    let s = '';
    for (let i = pos; i < end; i += 2) {
      const hi = buf[i + 1] ?? 0;
      if (hi !== 0) return utf16.decode(buf.subarray(pos, end));
      s += String.fromCharCode(buf[i] ?? 0);
    }
    return s;
  }
  return utf16.decode(buf.subarray(pos, end));
}

/**
 * UTF-16LE string value of `units` code units: trailing NULs removed, inner NULs kept (python-evtx
 * keeps them in its XML; the JSON renderer cuts at the first one, as the evtx crate does).
 */
export function readUtf16Text(buf: Uint8Array, pos: number, units: number): string {
  let end = pos + units * 2;
  while (end > pos && buf[end - 1] === 0 && buf[end - 2] === 0) end -= 2;
  if (end === pos) return '';
  if (end - pos <= 64) {
    let s = '';
    for (let i = pos; i < end; i += 2) {
      if (buf[i + 1] !== 0) return utf16.decode(buf.subarray(pos, end));
      s += String.fromCharCode(buf[i] ?? 0);
    }
    return s;
  }
  return utf16.decode(buf.subarray(pos, end));
}

/** A string as the evtx crate sees it: up to the first NUL. */
export function cutAtNul(s: string): string {
  const z = s.indexOf('\0');
  return z < 0 ? s : s.slice(0, z);
}

function check(buf: Uint8Array, pos: number, len: number, end: number): void {
  if (pos < 0 || len < 0 || pos + len > end || pos + len > buf.length) {
    throw new EvtxFormatError(`value of ${len} bytes runs past the end of its data`, pos);
  }
}

function fixedSize(base: number): number {
  switch (base) {
    case VT.Int8:
    case VT.UInt8:
      return 1;
    case VT.Int16:
    case VT.UInt16:
      return 2;
    case VT.Int32:
    case VT.UInt32:
    case VT.Real32:
    case VT.Bool:
    case VT.HexInt32:
      return 4;
    case VT.Int64:
    case VT.UInt64:
    case VT.Real64:
    case VT.FileTime:
    case VT.HexInt64:
      return 8;
    case VT.Guid:
    case VT.SysTime:
      return 16;
    default:
      return 0;
  }
}

function readScalar(dv: DataView, buf: Uint8Array, base: number, pos: number, size: number): Scalar {
  switch (base) {
    case VT.Int8:
      return dv.getInt8(pos);
    case VT.UInt8:
      return dv.getUint8(pos);
    case VT.Int16:
      return dv.getInt16(pos, true);
    case VT.UInt16:
      return dv.getUint16(pos, true);
    case VT.Int32:
      return dv.getInt32(pos, true);
    case VT.UInt32:
    case VT.HexInt32:
      return dv.getUint32(pos, true);
    case VT.Int64:
      return dv.getBigInt64(pos, true);
    case VT.UInt64:
    case VT.HexInt64:
    case VT.FileTime:
      return dv.getBigUint64(pos, true);
    case VT.Real32:
      return dv.getFloat32(pos, true);
    case VT.Real64:
      return dv.getFloat64(pos, true);
    case VT.Bool:
      // Kept as the raw int32: evtx prints non-zero as true, python-evtx only positive as True.
      return size >= 4 ? dv.getInt32(pos, true) : (buf[pos] ?? 0);
    case VT.SizeT:
      return size === 4 ? BigInt(dv.getUint32(pos, true)) : dv.getBigUint64(pos, true);
    case VT.Guid:
    case VT.SysTime:
    case VT.Sid:
    case VT.Binary:
      return buf.subarray(pos, pos + size);
    default:
      return null;
  }
}

/**
 * Decode a substitution value of `size` bytes at `pos`. Returns a string for text types, an
 * EvtxValue otherwise. BinXml (0x21) is handled by the caller (it is parsed, not decoded).
 */
export function decodeValue(
  buf: Uint8Array,
  dv: DataView,
  type: number,
  pos: number,
  size: number,
  end: number,
): string | EvtxValue {
  check(buf, pos, size, end);
  if (type === VT.String) return readUtf16Text(buf, pos, size >> 1);
  if (type === VT.AnsiString) {
    let e = pos + size;
    while (e > pos && buf[e - 1] === 0) e--;
    return latin1.decode(buf.subarray(pos, e));
  }
  if (type === VT.Null || size === 0) return { t: type, v: null };
  if (type & VT.Array) {
    const base = type & 0x7f;
    const items: Scalar[] = [];
    if (base === VT.String) {
      // NUL-terminated UTF-16 strings back to back; a trailing terminator ends the list.
      let p = pos;
      const stop = pos + size;
      while (p + 1 < stop) {
        let e = p;
        while (e + 1 < stop && (buf[e] !== 0 || buf[e + 1] !== 0)) e += 2;
        items.push(e === p ? '' : utf16.decode(buf.subarray(p, e)));
        p = e + 2;
      }
      return { t: type, v: items, raw: buf.subarray(pos, pos + size) };
    }
    if (base === VT.Sid) {
      let p = pos;
      const stop = pos + size;
      while (p + 8 <= stop) {
        const n = 8 + 4 * (buf[p + 1] ?? 0);
        if (p + n > stop) break;
        items.push(buf.subarray(p, p + n));
        p += n;
      }
      return { t: type, v: items };
    }
    const width = base === VT.SizeT ? 8 : fixedSize(base);
    if (width === 0) return { t: type, v: buf.subarray(pos, pos + size) };
    for (let p = pos; p + width <= pos + size; p += width) items.push(readScalar(dv, buf, base, p, width));
    return { t: type, v: items };
  }
  const need = fixedSize(type);
  if (need > size)
    throw new EvtxFormatError(`value type 0x${type.toString(16)} needs ${need} bytes, has ${size}`, pos);
  if (type === VT.Sid && (size < 8 || 8 + 4 * (buf[pos + 1] ?? 0) > size)) {
    throw new EvtxFormatError('SID shorter than its sub-authority count', pos);
  }
  if (type === VT.SizeT && size !== 4 && size !== 8)
    throw new EvtxFormatError('size_t must be 4 or 8 bytes', pos);
  const known =
    need > 0 || type === VT.Binary || type === VT.Sid || type === VT.SizeT || type === VT.EvtHandle;
  if (!known) throw new EvtxFormatError(`unknown value type 0x${type.toString(16)}`, pos);
  return { t: type, v: readScalar(dv, buf, type, pos, size) };
}

/** Size in bytes of a non-string value token (type byte already consumed), 0 when unknown. */
export function valueTokenSize(type: number): number {
  return fixedSize(type);
}

// ---------------------------------------------------------------------------------------------
// Time

const EPOCH_DIFF_SECONDS = 11644473600;

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

const TWO = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));

/** `YYYY-MM-DDTHH:MM:SS` of whole seconds since 1970 (UTC), proleptic Gregorian (days-from-civil inverse). */
function civil(unixSeconds: number): string {
  const days = Math.floor(unixSeconds / 86400);
  const rem = unixSeconds - days * 86400;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const h = Math.floor(rem / 3600);
  const m = Math.floor((rem % 3600) / 60);
  const s = rem % 60;
  return `${pad(year, 4)}-${TWO[month] ?? ''}-${TWO[day] ?? ''}T${TWO[h] ?? ''}:${TWO[m] ?? ''}:${TWO[s] ?? ''}`;
}

/** FILETIME → ISO 8601 UTC with 7 fractional digits (every 100 ns tick kept): record timestamps. */
export function filetimeIso7(ticks: bigint): string {
  const secs = ticks / 10000000n;
  const frac = Number(ticks % 10000000n);
  return `${civil(Number(secs) - EPOCH_DIFF_SECONDS)}.${pad(frac, 7)}Z`;
}

/** FILETIME as the evtx crate prints it: microseconds, truncated, `T` and `Z`. */
export function filetimeRust(ticks: bigint): string {
  const secs = ticks / 10000000n;
  const micros = Number(ticks % 10000000n) / 10;
  return `${civil(Number(secs) - EPOCH_DIFF_SECONDS)}.${pad(Math.floor(micros), 6)}Z`;
}

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * FILETIME as python-evtx prints it: it converts through a float (`ticks * 1e-7 - 11644473600`)
 * and `datetime.utcfromtimestamp` (round half to even on microseconds), then `str(datetime)`,
 * which drops the fraction when it is zero. We repeat the same float steps to get the same digits.
 */
export function filetimePython(ticks: bigint): string {
  const t = Number(ticks) * 1e-7 - EPOCH_DIFF_SECONDS;
  let whole = Math.trunc(t);
  let us = roundHalfEven((t - whole) * 1e6);
  if (us >= 1000000) {
    us -= 1000000;
    whole += 1;
  } else if (us < 0) {
    us += 1000000;
    whole -= 1;
  }
  const base = civil(whole).replace('T', ' ');
  return us === 0 ? base : `${base}.${pad(us, 6)}`;
}

interface SysTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
}

function sysTime(b: Uint8Array): SysTime {
  const u = (i: number): number => (b[i] ?? 0) | ((b[i + 1] ?? 0) << 8);
  return { year: u(0), month: u(2), day: u(6), hour: u(8), minute: u(10), second: u(12), ms: u(14) };
}

export function systimeRust(b: Uint8Array): string {
  const s = sysTime(b);
  return `${pad(s.year, 4)}-${pad(s.month, 2)}-${pad(s.day, 2)}T${pad(s.hour, 2)}:${pad(s.minute, 2)}:${pad(s.second, 2)}.${pad(s.ms * 1000, 6)}Z`;
}

export function systimePython(b: Uint8Array): string {
  const s = sysTime(b);
  const base = `${pad(s.year, 4)}-${pad(s.month, 2)}-${pad(s.day, 2)} ${pad(s.hour, 2)}:${pad(s.minute, 2)}:${pad(s.second, 2)}`;
  return s.ms === 0 ? base : `${base}.${pad(s.ms * 1000, 6)}`;
}

// ---------------------------------------------------------------------------------------------
// Structured values

const HEX2 = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hexByte(b: number): string {
  return HEX2[b] ?? '00';
}

/** GUID from its 16 little-endian-mixed bytes, lowercase, no braces. */
export function guidString(b: Uint8Array): string {
  const h = (i: number): string => hexByte(b[i] ?? 0);
  return `${h(3)}${h(2)}${h(1)}${h(0)}-${h(5)}${h(4)}-${h(7)}${h(6)}-${h(8)}${h(9)}-${h(10)}${h(11)}${h(12)}${h(13)}${h(14)}${h(15)}`;
}

export function sidString(b: Uint8Array): string {
  if (b.length < 8) return 'S-?';
  let auth = 0;
  for (let i = 2; i < 8; i++) auth = auth * 256 + (b[i] ?? 0);
  let s = `S-${b[0] ?? 0}-${auth}`;
  const n = b[1] ?? 0;
  for (let i = 0; i < n && 8 + 4 * i + 4 <= b.length; i++) {
    const p = 8 + 4 * i;
    s += `-${((b[p] ?? 0) | ((b[p + 1] ?? 0) << 8) | ((b[p + 2] ?? 0) << 16) | ((b[p + 3] ?? 0) << 24)) >>> 0}`;
  }
  return s;
}

export function hexUpper(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += hexByte(x);
  return s.toUpperCase();
}

function base64(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
}

// ---------------------------------------------------------------------------------------------
// Floats

/** Python `repr(float)`: shortest round-trip digits, exponent form outside 1e-4 ≤ |x| < 1e16. */
export function pythonFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mant = '0', expPart = '0'] = x.toExponential().split('e');
  const exp = Number(expPart);
  const sign = mant.startsWith('-') ? '-' : '';
  const digits = mant.replace('-', '').replace('.', '');
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0] ?? ''}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${pad(Math.abs(exp), 2)}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return `${sign}${digits}${'0'.repeat(exp + 1 - digits.length)}.0`;
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/**
 * Rust shortest float formatting as the evtx crate prints it (ryu-style): plain decimal with a
 * `.0` for integral values when the decimal exponent is in [-5, 16], scientific `1e20` otherwise.
 */
export function rustFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mant = '0', expPart = '0'] = x.toExponential().split('e');
  const exp = Number(expPart);
  const sign = mant.startsWith('-') ? '-' : '';
  const digits = mant.replace('-', '').replace('.', '');
  const kk = exp + 1;
  if (kk > 0 && kk <= 16) {
    if (digits.length <= kk) return `${sign}${digits}${'0'.repeat(kk - digits.length)}.0`;
    return `${sign}${digits.slice(0, kk)}.${digits.slice(kk)}`;
  }
  if (kk > -5 && kk <= 0) return `${sign}0.${'0'.repeat(-kk)}${digits}`;
  const m = digits.length > 1 ? `${digits[0] ?? ''}.${digits.slice(1)}` : digits;
  return `${sign}${m}e${exp}`;
}

/** Float32 payloads are widened to doubles; shortest digits must come from the float32. */
function float32Shortest(x: number): number {
  for (let p = 1; p <= 9; p++) {
    const y = Number(x.toPrecision(p));
    if (Math.fround(y) === x) return y;
  }
  return x;
}

// ---------------------------------------------------------------------------------------------
// Renderers

function hexPadded(v: bigint | number, width: number): string {
  return '0x' + v.toString(16).padStart(width, '0');
}

function scalarPython(base: number, v: Scalar): string {
  if (v === null) return '';
  switch (base) {
    case VT.Real32:
      return pythonFloat(v as number);
    case VT.Real64:
      return pythonFloat(v as number);
    case VT.Bool:
      return (v as number) > 0 ? 'True' : 'False';
    case VT.Binary:
      return base64(v as Uint8Array);
    case VT.Guid:
      return `{${guidString(v as Uint8Array)}}`;
    case VT.FileTime:
      return filetimePython(v as bigint);
    case VT.SysTime:
      return systimePython(v as Uint8Array);
    case VT.Sid:
      return sidString(v as Uint8Array);
    case VT.HexInt32:
      return hexPadded(v as number, 8);
    case VT.HexInt64:
      return hexPadded(v as bigint, 16);
    case VT.SizeT:
      return String(v);
    default:
      return typeof v === 'string' ? v : String(v);
  }
}

/**
 * python-evtx's string-array rendering, reproduced from its byte-level regex walk: runs of
 * 2-byte units whose first byte is non-zero (and whose second is not a newline byte, since the
 * regex `.` skips it) become `<string>run</string>\n`, each extra NUL unit `<string></string>\n`.
 */
export function stringArrayPython(raw: Uint8Array): string {
  let bin = raw;
  let acc = '';
  for (let guard = 0; bin.length > 0 && guard <= raw.length; guard++) {
    let i = 0;
    while (i + 1 < bin.length && !(bin[i] !== 0 && bin[i + 1] !== 0x0a)) i++;
    if (i + 1 < bin.length) {
      let j = i;
      while (j + 1 < bin.length && bin[j] !== 0 && bin[j + 1] !== 0x0a) j += 2;
      acc += `<string>${utf16.decode(bin.subarray(i, j))}</string>\n`;
      bin = bin.subarray(j - i + 2);
      if (bin.length === 0) break;
    }
    let z = 0;
    while (z < bin.length && bin[z] === 0) z++;
    if (z % 2 !== 0) break; // python-evtx raises here
    acc += '<string></string>\n'.repeat(z / 2);
    bin = bin.subarray(z);
  }
  return acc;
}

/** python-evtx text of a value (before XML escaping). */
export function valueTextPython(value: EvtxValue): string {
  const { t, v } = value;
  if (t === (VT.Array | VT.String) && value.raw) return stringArrayPython(value.raw);
  if (Array.isArray(v)) {
    const base = t & 0x7f;
    return v.map((x: Scalar) => scalarPython(base, x)).join(',');
  }
  if (t & VT.Array) return v instanceof Uint8Array ? base64(v) : '';
  return scalarPython(t, v as Scalar);
}

function scalarRust(base: number, v: Scalar): string {
  if (v === null) return '';
  switch (base) {
    case VT.Real32:
      return rustFloat(float32Shortest(v as number));
    case VT.Real64:
      return rustFloat(v as number);
    case VT.Bool:
      return v !== 0 ? 'true' : 'false';
    case VT.Binary:
      return hexUpper(v as Uint8Array);
    case VT.Guid:
      return guidString(v as Uint8Array).toUpperCase();
    case VT.FileTime:
      return filetimeRust(v as bigint);
    case VT.SysTime:
      return systimeRust(v as Uint8Array);
    case VT.Sid:
      return sidString(v as Uint8Array);
    case VT.HexInt32:
    case VT.HexInt64:
    case VT.SizeT:
      return '0x' + (v as number | bigint).toString(16);
    default:
      return typeof v === 'string' ? v : String(v);
  }
}

/** evtx-crate text of a value (arrays comma-joined, as its JSON renderer writes them). */
export function valueTextRust(value: EvtxValue): string {
  const { t, v } = value;
  if (Array.isArray(v)) {
    const base = t & 0x7f;
    return v.map((x: Scalar) => scalarRust(base, x)).join(',');
  }
  if (t & VT.Array) return v instanceof Uint8Array ? hexUpper(v) : '';
  return scalarRust(t, v as Scalar);
}

/** The JSON value the evtx crate emits when a value stands alone: integers and bools are native. */
export function valueJsonRust(value: EvtxValue): string | number | boolean {
  const { t, v } = value;
  switch (t) {
    case VT.Int8:
    case VT.UInt8:
    case VT.Int16:
    case VT.UInt16:
    case VT.Int32:
    case VT.UInt32:
      return v as number;
    case VT.Int64:
    case VT.UInt64:
      return Number(v);
    case VT.Bool:
      return v !== 0;
    default:
      return valueTextRust(value);
  }
}

/** Empty for an optional substitution: the element or attribute is then left out (evtx crate). */
export function isEmptyValue(value: EvtxValue): boolean {
  const { t, v } = value;
  if (v === null) return true;
  if (Array.isArray(v)) return v.length === 0;
  if ((t === VT.Binary || t & VT.Array) && v instanceof Uint8Array) return v.length === 0;
  return false;
}
