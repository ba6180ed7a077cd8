import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  VT,
  cutAtNul,
  decodeValue,
  filetimeIso7,
  filetimePython,
  filetimeRust,
  guidString,
  hexUpper,
  pythonFloat,
  rustFloat,
  sidString,
  stringArrayPython,
  systimePython,
  systimeRust,
  valueJsonRust,
  valueTextPython,
  valueTextRust,
} from '../../src/evtx/values.js';
import type { EvtxValue } from '../../src/evtx/values.js';

function decode(type: number, bytes: number[]): string | EvtxValue {
  const buf = Uint8Array.from(bytes);
  return decodeValue(buf, new DataView(buf.buffer), type, 0, buf.length, buf.length);
}

function value(type: number, bytes: number[]): EvtxValue {
  const v = decode(type, bytes);
  assert.ok(typeof v !== 'string');
  return v;
}

function le64(n: bigint): number[] {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, n, true);
  return [...b];
}

test('FILETIME: record timestamps keep all 7 digits; evtx truncates to µs; python rounds through a float', () => {
  const ticks = 132453538613726306n; // 2020-09-23 16:57:41.3726306
  assert.equal(filetimeIso7(ticks), '2020-09-23T16:57:41.3726306Z');
  assert.equal(filetimeRust(ticks), '2020-09-23T16:57:41.372630Z');
  // python-evtx: float(ticks) * 1e-7 loses the last digits, so .3726306 becomes .372629
  assert.equal(filetimePython(ticks), '2020-09-23 16:57:41.372629');
  assert.equal(filetimePython(0n), '1601-01-01 00:00:00');
  assert.equal(filetimeIso7(0n), '1601-01-01T00:00:00.0000000Z');
  // whole seconds: python prints no fraction
  assert.equal(filetimePython(116444736000000000n), '1970-01-01 00:00:00');
  assert.equal(valueTextRust(value(VT.FileTime, le64(116444736000000000n))), '1970-01-01T00:00:00.000000Z');
  // leap day and far future
  assert.equal(filetimeIso7(116444736000000000n + 951782400n * 10000000n), '2000-02-29T00:00:00.0000000Z');
  assert.equal(filetimeIso7(0x7fffffffffffffffn).slice(0, 5), '30828');
});

test('SYSTEMTIME renders with milliseconds as microseconds', () => {
  // 2019-11-04 (Monday) 09:27:25.986
  const st = [0xe3, 0x07, 11, 0, 1, 0, 4, 0, 9, 0, 27, 0, 25, 0, 0xda, 0x03];
  const v = value(VT.SysTime, st);
  assert.equal(valueTextRust(v), '2019-11-04T09:27:25.986000Z');
  assert.equal(valueTextPython(v), '2019-11-04 09:27:25.986000');
  assert.equal(systimePython(Uint8Array.from([...st.slice(0, 14), 0, 0])), '2019-11-04 09:27:25');
  assert.equal(systimeRust(Uint8Array.from([...st.slice(0, 14), 0, 0])), '2019-11-04T09:27:25.000000Z');
});

test('SID: revision, 48-bit big-endian authority, little-endian sub-authorities', () => {
  const system = [1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0];
  assert.equal(sidString(Uint8Array.from(system)), 'S-1-5-18');
  const domain = [
    1, 5, 0, 0, 0, 0, 0, 5, 21, 0, 0, 0, 0x8c, 0x35, 0x2d, 0xd3, 0xb8, 0x3d, 0xb6, 0xcd, 0xc6, 0x75, 0x5f,
    0xea, 0xf4, 0x01, 0, 0,
  ];
  assert.equal(valueTextRust(value(VT.Sid, domain)), 'S-1-5-21-3542955404-3451272632-3932124614-500');
  assert.throws(() => decode(VT.Sid, [1, 3, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0]), /SID/);
});

test('GUID: mixed-endian fields; evtx upper without braces, python lower with braces', () => {
  const bytes = [
    0xd1, 0x08, 0x59, 0x55, 0xd7, 0xa6, 0x95, 0x46, 0x8e, 0x1e, 0x26, 0x93, 0x1d, 0x20, 0x12, 0xf4,
  ];
  assert.equal(guidString(Uint8Array.from(bytes)), '555908d1-a6d7-4695-8e1e-26931d2012f4');
  const v = value(VT.Guid, bytes);
  assert.equal(valueTextRust(v), '555908D1-A6D7-4695-8E1E-26931D2012F4');
  assert.equal(valueTextPython(v), '{555908d1-a6d7-4695-8e1e-26931d2012f4}');
});

test('hex and binary: evtx 0x-unpadded and upper hex bytes, python zero-padded and base64', () => {
  const h32 = value(VT.HexInt32, [0x81, 0x00, 0x10, 0x00]);
  assert.equal(valueTextRust(h32), '0x100081');
  assert.equal(valueTextPython(h32), '0x00100081');
  const h64 = value(VT.HexInt64, [0, 0, 0, 0, 0, 0, 0x80, 0x80]);
  assert.equal(valueTextRust(h64), '0x8080000000000000');
  assert.equal(valueTextPython(value(VT.HexInt64, [0x35, 0xc6, 0x0f, 0, 0, 0, 0, 0])), '0x00000000000fc635');
  const bin = value(VT.Binary, [0x57, 0x00, 0x65, 0x00]);
  assert.equal(valueTextRust(bin), '57006500');
  assert.equal(valueTextPython(bin), 'VwBlAA==');
  assert.equal(hexUpper(Uint8Array.from([0xab, 0x01])), 'AB01');
});

test('integers and bools: native JSON numbers/booleans; 64-bit values exact in text', () => {
  assert.equal(valueJsonRust(value(VT.UInt16, [0x00, 0x40])), 16384);
  assert.equal(valueJsonRust(value(VT.Int32, [0xff, 0xff, 0xff, 0xff])), -1);
  const big = value(VT.UInt64, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
  assert.equal(valueTextPython(big), '18446744073709551615');
  assert.equal(valueJsonRust(big), Number(18446744073709551615n));
  const t = value(VT.Bool, [1, 0, 0, 0]);
  assert.equal(valueJsonRust(t), true);
  assert.equal(valueTextPython(t), 'True');
  assert.equal(valueTextPython(value(VT.Bool, [0, 0, 0, 0])), 'False');
  // python-evtx prints a negative int32 bool as False; evtx treats any non-zero as true
  const negative = value(VT.Bool, [0xff, 0xff, 0xff, 0xff]);
  assert.equal(valueTextPython(negative), 'False');
  assert.equal(valueJsonRust(negative), true);
  const size = value(VT.SizeT, [0x10, 0, 0, 0, 0, 0, 0, 0]);
  assert.equal(valueTextPython(size), '16');
  assert.equal(valueTextRust(size), '0x10');
});

test('floats: python repr and Rust shortest forms', () => {
  assert.equal(pythonFloat(1), '1.0');
  assert.equal(pythonFloat(0.1), '0.1');
  assert.equal(pythonFloat(1e-5), '1e-05');
  assert.equal(pythonFloat(1.5e16), '1.5e+16');
  assert.equal(pythonFloat(123456.789), '123456.789');
  assert.equal(pythonFloat(-0.0001), '-0.0001');
  assert.equal(rustFloat(1), '1.0');
  assert.equal(rustFloat(0.1), '0.1');
  assert.equal(rustFloat(1e20), '1e20');
  assert.equal(rustFloat(1e-7), '1e-7');
  assert.equal(rustFloat(0.001), '0.001');
  // a float32 prints its own shortest digits for evtx, the widened double for python
  const f32 = value(VT.Real32, [0xcd, 0xcc, 0xcc, 0x3d]); // 0.1f
  assert.equal(valueTextRust(f32), '0.1');
  assert.equal(valueTextPython(f32), '0.10000000149011612');
  assert.equal(valueTextPython(value(VT.Real64, [0, 0, 0, 0, 0, 0, 0xf8, 0x3f])), '1.5');
});

test('arrays: evtx joins with commas; python-evtx wraps string arrays in <string> lines', () => {
  const strings = [0x61, 0, 0x62, 0, 0, 0, 0x63, 0, 0, 0]; // "ab\0c\0"
  const v = value(VT.Array | VT.String, strings);
  assert.equal(valueTextRust(v), 'ab,c');
  assert.equal(valueTextPython(v), '<string>ab</string>\n<string>c</string>\n');
  assert.equal(
    stringArrayPython(Uint8Array.from([0x61, 0, 0, 0, 0, 0])),
    '<string>a</string>\n<string></string>\n',
  );
  const ints = value(VT.Array | VT.UInt16, [1, 0, 2, 0, 3, 0]);
  assert.equal(valueTextRust(ints), '1,2,3');
  assert.equal(valueTextPython(ints), '1,2,3');
  const guids = value(VT.Array | VT.Guid, [
    ...new Array<number>(16).fill(0),
    ...new Array<number>(16).fill(0xff),
  ]);
  assert.equal(
    valueTextRust(guids),
    '00000000-0000-0000-0000-000000000000,FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
  );
});

test('strings: trailing NULs dropped, inner NULs kept for XML and cut for JSON; bad sizes are errors', () => {
  assert.equal(decode(VT.String, [0x68, 0, 0x69, 0, 0, 0, 0x78, 0, 0, 0]), 'hi\0x');
  assert.equal(cutAtNul('hi\0x'), 'hi');
  assert.equal(decode(VT.String, [0x68, 0, 0x69, 0, 0, 0, 0, 0]), 'hi');
  assert.equal(decode(VT.AnsiString, [0x68, 0x69, 0, 0]), 'hi');
  assert.throws(() => decode(VT.UInt64, [1, 2, 3]), { name: 'EvtxFormatError' });
  assert.throws(() => decode(0x77, [1, 2, 3, 4]), /unknown value type/);
});

test('XML escaping: markup escaped, control characters dropped, noncharacters as references', async () => {
  const { escapeAttr, escapeText } = await import('../../src/evtx/xml.js');
  assert.equal(escapeText('a<b>&c'), 'a&lt;b&gt;&amp;c');
  assert.equal(escapeText('tab\tnl\nbell\u0007del\u007f'), 'tab\tnl\nbelldel');
  assert.equal(escapeText('x\uffffy'), 'x&#65535;y');
  assert.equal(escapeAttr('say "hi"\n'), 'say &quot;hi&quot;&#10;');
  assert.equal(escapeText('plain'), 'plain');
});
