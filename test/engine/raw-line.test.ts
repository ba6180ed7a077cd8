import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineRouter, escapes, routingKeys, unsafeText } from '../../src/engine/raw-line.js';
import { ROUTE_LINE_BYTES } from '../../src/engine/route-wasm.js';
import { existsSync } from 'node:fs';
import { shared, sharedEvents } from './helpers.js';

/** What the string searches say of buf[s, e) (the router's reference). */
function reference(buf: Buffer, s: number, e: number): [number, number, boolean, boolean] {
  const line = buf.toString('latin1', s, e);
  const [channel, eventId] = routingKeys(line, s);
  return [channel, eventId, unsafeText(line), escapes(line, '\\/')];
}

function routed(r: LineRouter, buf: Buffer, s: number, e: number): [number, number, boolean, boolean] {
  r.route(buf, s, e);
  return [r.channelAt, r.eventIdAt, r.unsafe, r.slash];
}

const CASES = [
  '{"Channel":"Security","EventID":4688}',
  '{"Event":{"System":{"Channel":"A","EventID":{"#text":"1"}},"EventData":{"Channel":"B"}}}',
  '{"EventID":1,"x":{"EventID":2}}',
  '{"x":"\\u0041"}',
  '{"x":"\\\\u0041"}',
  '{"x":"\\\\\\u0041"}',
  '{"x":"\\\\\\\\u"}',
  '{"x":"a\\/b"}',
  '{"x":"a\\\\/b"}',
  '{"x":"a\\\\\\/b"}',
  '\\u0041',
  '\\/',
  '{"k":"\u212a"}',
  '{"k":"\u0130"}',
  '{"k":"\u00e2\u0084"}',
  '"Channel"',
  '"Channel',
  '"EventI',
  '"Channel""EventID""Channel"',
  '{"CHANNEL":"x","channel":"y","Eventid":1}',
  `{"pad":"${'x'.repeat(40)}","Channel":"${'C'.repeat(33)}"}`,
];

function agree(lines: readonly Buffer[]): void {
  const wasm = new LineRouter();
  const js = new LineRouter(false);
  for (const line of lines) {
    // At an offset in a larger buffer, as lines sit in a read chunk.
    const buf = Buffer.concat([Buffer.from('xx\n'), line, Buffer.from('\n')]);
    const want = reference(buf, 3, 3 + line.length);
    const what = line.toString('latin1').slice(0, 200);
    assert.deepEqual(routed(wasm, buf, 3, 3 + line.length), want, `WebAssembly: ${what}`);
    assert.deepEqual(routed(js, buf, 3, 3 + line.length), want, `JavaScript: ${what}`);
  }
}

test('the line router (WebAssembly SIMD) finds what the string searches find', () => {
  agree(CASES.map((c) => Buffer.from(c, 'utf8')));
});

test('the line router agrees with the string searches on every regression event and attack-sample record', (t) => {
  if (!existsSync(shared)) return t.skip('../shared not found');
  const events = sharedEvents();
  assert.ok(events.length > 1000, `only ${events.length} events`);
  agree(events.map((e) => Buffer.from(JSON.stringify(e))));
});

test('the line router sees nothing past the end of a line (bytes of a longer line routed before)', () => {
  const r = new LineRouter();
  const long = Buffer.from('{"a":"b","Channel":"c","x":"\\u0041\\/","EventID":1}');
  r.route(long, 0, long.length);
  assert.deepEqual([r.channelAt > 0, r.eventIdAt > 0, r.unsafe, r.slash], [true, true, true, true]);
  // Every prefix: a key or escape cut by the line's end is not one.
  for (let n = 0; n <= long.length; n++) {
    r.route(long, 0, long.length);
    assert.deepEqual(routed(r, long, 0, n), reference(long, 0, n), `prefix of ${n} bytes`);
  }
  // A pair whose second byte would be the next line's first.
  const two = Buffer.from('{"x":"\\\nu"}');
  assert.deepEqual(routed(r, two, 0, 7), reference(two, 0, 7));
  const three = Buffer.from('{"x":"\n"Channel"}');
  assert.deepEqual(routed(r, three, 0, 7), [-1, -1, false, false]);
});

test('lines longer than the WebAssembly buffer are routed by the string searches', () => {
  const r = new LineRouter();
  const line = Buffer.from(`{"x":"${'a'.repeat(ROUTE_LINE_BYTES)}","Channel":"S","y":"\\u0041"}`);
  assert.ok(line.length > ROUTE_LINE_BYTES);
  assert.deepEqual(routed(r, line, 0, line.length), reference(line, 0, line.length));
  assert.equal(r.unsafe, true);
  assert.ok(r.channelAt > ROUTE_LINE_BYTES);
});
