import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { sharedDir as shared } from '../helpers/shared.js';

export const repoRoot = resolve(import.meta.dirname, '../../..');
export const contentDir = join(repoRoot, 'content');

/** ../shared, or undefined where it is absent (a user's clone). */
export function sharedDir(): string | undefined {
  return existsSync(shared) ? shared : undefined;
}

/** A throw-away content folder with the given files (paths relative to its root). */
export function contentFixture(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'tripline-content-'));
  for (const [rel, text] of Object.entries(files)) {
    const p = join(root, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
  return root;
}

export const STORY = `id: 5b0f3c1e-8a2d-4c6e-9f10-2a3b4c5d6e7f
name: Test Story
version: 1
date: 2026-11-23
author: Test
description: A story.
narrative: Why.
`;

export const DATA_SOURCE = `name: Sysmon EventID 1
provider: Microsoft-Windows-Sysmon
logsource:
  product: windows
  category: process_creation
fields: [Image, CommandLine]
`;

/** A valid detection; `block` replaces the tripline block body lines after `tripline:`. */
export function detectionText(opts: { tags?: string[]; block?: string; extraTop?: string } = {}): string {
  const tags = opts.tags ?? ['attack.collection', 'attack.t1119'];
  const block =
    opts.block ??
    `  type: TTP
  confidence: medium
  data_sources: [Sysmon EventID 1]
  stories: [Test Story]
  enrichment:
    RecursiveSearch:
      CommandLine|contains: ['-Recurse', ' /s ']
  triage: Look at it.
  tests:
    - name: hit
      kind: positive
      events:
        - {Image: 'C:\\Windows\\System32\\cmd.exe', CommandLine: 'cmd /c dir /s *.docx'}
      expect:
        matches: 1
        enrichment:
          - RecursiveSearch: true
    - name: miss
      kind: negative
      events:
        - {Image: 'C:\\Windows\\System32\\cmd.exe', CommandLine: 'cmd /c dir'}
`;
  return `title: Test Detection
id: 0d7e8f1a-2b3c-4d5e-8f60-718293a4b5c6
status: experimental
description: Test.
author: Test
date: 2026-11-23
tags:
${tags.map((t) => `  - ${t}`).join('\n')}
logsource:
  product: windows
  category: process_creation
detection:
  selection:
    CommandLine|contains: 'dir /s'
  condition: selection
falsepositives:
  - Admins
level: medium
${opts.extraTop ?? ''}tripline:
${block}`;
}

/** A content folder with one detection plus a story and a data source. */
export function fixtureWith(detection: string, extra: Record<string, string> = {}): string {
  return contentFixture({
    'detections/test.yml': detection,
    'stories/test.yml': STORY,
    'data-sources/sysmon-1.yml': DATA_SOURCE,
    ...extra,
  });
}
