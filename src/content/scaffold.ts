/** `tripline new detection`: a valid detection skeleton filled in from an ATT&CK technique. */
import type { Result } from '../diagnostics/index.js';
import { fail, ok } from '../diagnostics/index.js';
import { lookupTechnique } from '../attack/index.js';

export interface ScaffoldOptions {
  technique: string;
  title?: string;
  author?: string;
  /** YYYY-MM-DD */
  date: string;
  /** UUID v4 for the rule. */
  id: string;
}

export interface Scaffold {
  /** Suggested file name, e.g. `t1119-automated-collection.yml`. */
  fileName: string;
  text: string;
}

const q = (s: string): string => `'${s.replaceAll("'", "''")}'`;

export function slugify(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
}

export function scaffoldDetection(o: ScaffoldOptions): Result<Scaffold> {
  const t = lookupTechnique(o.technique);
  if (!t) {
    return fail({
      code: 'TL8016',
      severity: 'error',
      message: `${o.technique} is not in the pinned ATT&CK Enterprise table`,
    });
  }
  const title = o.title ?? `${t.name} Activity`;
  const tags = [...t.tactics.map((x) => `attack.${x}`), `attack.${t.id.toLowerCase()}`];
  const text = `title: ${q(title)}
id: ${o.id}
status: experimental
description: |
  Detects ${t.name} (${t.id}). Describe the behaviour this rule keys on and why it is suspicious.
references:
  - ${t.url}
author: ${q(o.author ?? 'Tripline contributors')}
date: ${o.date}
tags:
${tags.map((x) => `  - ${x}`).join('\n')}
logsource:
  product: windows
  category: process_creation
detection:
  selection:
    # TODO: replace with the behaviour of ${t.id}
    Image|endswith: '\\example.exe'
    CommandLine|contains: 'example-argument'
  condition: selection
falsepositives:
  - 'TODO: legitimate software that behaves alike'
level: medium
tripline:
  type: TTP
  confidence: medium
  data_sources:
    - Sysmon EventID 1
  enrichment:
    # Named boolean flags computed for every hit; rename or remove.
    ExampleFlag:
      CommandLine|contains: 'example-argument'
  risk_objects:
    - field: User
      type: user
      score: 40
    - field: Computer
      type: host
      score: 40
  threat_objects:
    - field: Image
      type: process
  how_to_implement: |
    TODO: which logging must be enabled (e.g. Sysmon with process creation, or Security 4688 with
    command-line auditing).
  triage: |
    1. TODO: what to look at first.
    2. TODO: what makes a hit benign.
  response: |
    TODO: containment and follow-up.
  tuning: |
    TODO: how to exclude known-good activity.
  tests:
    - name: ${t.name} — positive
      kind: positive
      events:
        - EventID: 1
          Channel: Microsoft-Windows-Sysmon/Operational
          Image: 'C:\\Windows\\System32\\example.exe'
          CommandLine: 'example.exe example-argument'
          User: 'CORP\\alice'
          Computer: 'ws01.corp.example'
      expect:
        matches: 1
        enrichment:
          - ExampleFlag: true
    - name: ${t.name} — benign look-alike
      kind: negative
      events:
        - EventID: 1
          Channel: Microsoft-Windows-Sysmon/Operational
          Image: 'C:\\Windows\\System32\\example.exe'
          CommandLine: 'example.exe /help'
          User: 'CORP\\alice'
          Computer: 'ws01.corp.example'
      expect:
        matches: 0
`;
  return ok({ fileName: `${t.id.toLowerCase().replace('.', '-')}-${slugify(title)}.yml`, text });
}
