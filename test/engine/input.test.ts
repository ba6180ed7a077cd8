import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Hit } from '../../src/engine/index.js';
import { huntFile } from '../../src/engine/index.js';
import { compileText, rule } from './helpers.js';

/**
 * JSONL is read in 1 MiB chunks: lines cut by a chunk boundary, lines longer than a chunk, CRLF endings
 * and a last line without a newline must all arrive whole, with their line numbers.
 */
test('hunt over JSONL: lines across chunk boundaries arrive whole, with the right line numbers', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tripline-input-'));
  const lines: string[] = [];
  const expected: number[] = [];
  let size = 0;
  for (let i = 1; size < 3.5 * 2 ** 20; i++) {
    const hit = i % 7 === 0;
    // Line lengths vary (and one line is longer than a chunk) so boundaries fall everywhere in a line.
    const pad = 'x'.repeat(i === 500 ? 1.5 * 2 ** 20 : (i * 7919) % 3000);
    const image = hit ? 'C:\\Windows\\System32\\whoami.exe' : 'C:\\Windows\\System32\\cmd.exe';
    const ev = {
      Event: {
        System: {
          EventID: 1,
          EventRecordID: i,
          Channel: 'Microsoft-Windows-Sysmon/Operational',
          TimeCreated: { '#attributes': { SystemTime: '2024-05-01T10:00:00.000000Z' } },
        },
        EventData: { Image: image, CommandLine: `${image} ${pad}` },
      },
    };
    const text = JSON.stringify(ev) + (i % 11 === 0 ? '\r' : '');
    lines.push(text);
    size += text.length + 1;
    if (hit) expected.push(i);
  }
  const body = lines.join('\n'); // no newline after the last line
  writeFileSync(join(dir, 'events.jsonl'), body);
  writeFileSync(join(dir, 'events.jsonl.gz'), gzipSync(body));
  for (const file of ['events.jsonl', 'events.jsonl.gz']) {
    const { engine } = compileText(
      rule(
        "  sel:\n    Image|endswith: '\\whoami.exe'\n  condition: sel",
        'product: windows\n  category: process_creation',
      ),
    );
    const hits: Hit[] = [];
    engine.onHit((h) => hits.push(h));
    const diags = await huntFile(engine, join(dir, file));
    engine.finish();
    assert.deepEqual(diags, [], file);
    assert.equal(engine.stats.events, lines.length, file);
    assert.equal(engine.stats.corrupt, 0, file);
    const got = hits.map((h) => (h.kind === 'rule' ? h.source.line : -1));
    assert.deepEqual(got, expected, file);
    assert.deepEqual(
      hits.map((h) => (h.kind === 'rule' ? Number(h.source.recordId) : -1)),
      expected,
      `${file}: record ids`,
    );
  }
});
