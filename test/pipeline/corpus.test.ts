import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lowerRule } from '../../src/ir/lower.js';
import type { IrNode, IrRule } from '../../src/ir/types.js';
import { parseSigmaText } from '../../src/sigma/parse.js';
import { walkFiles } from '../../src/util/files.js';
import { applyPipelines, loadPipelineYaml } from '../../src/pipeline/index.js';
import { sharedDir } from '../helpers/shared.js';

const shared = sharedDir;
const corpus = join(shared, 'corpus', 'sigmahq');

/** A pipeline that exercises every kind of rewrite on every rule. */
const stress = `
name: stress
vars:
  Admins_Workstations: [ws1, ws2]
transformations:
  - id: map
    type: field_name_mapping
    mapping:
      Image: [process.executable, process.name]
      CommandLine: process.command_line
      ParentImage: process.parent.executable
  - type: field_name_prefix_mapping
    mapping:
      Target: target.
  - type: add_condition
    conditions:
      event.category: process
    rule_conditions: [{type: logsource, category: process_creation}]
  - type: replace_string
    regex: '\\\\'
    replacement: '/'
    field_name_conditions: [{type: processing_item_applied, processing_item_id: map}]
  - type: drop_detection_item
    field_name_conditions: [{type: include_fields, fields: [EventID]}]
  - type: value_placeholders
    include: [Admins_Workstations]
  - type: wildcard_placeholders
  - type: field_name_suffix
    suffix: .keyword
    detection_item_conditions: [{type: contains_wildcard, cond: any}]
`;

function loadCorpus(): IrRule[] {
  const { files } = walkFiles(
    [
      'rules',
      'rules-emerging-threats',
      'rules-threat-hunting',
      'rules-placeholder',
      'rules-compliance',
      'rules-dfir',
    ].map((d) => join(corpus, d)),
    ['.yml', '.yaml'],
  );
  const rules: IrRule[] = [];
  for (const f of files) {
    const parsed = parseSigmaText(readFileSync(f, 'utf8'), f);
    for (const doc of parsed.file.documents) {
      if (doc.kind !== 'Rule') continue;
      const r = lowerRule(doc);
      if (r.ok) rules.push(r.value);
    }
  }
  return rules;
}

function hasPlaceholder(n: IrNode): boolean {
  switch (n.kind) {
    case 'And':
    case 'Or':
      return n.children.some(hasPlaceholder);
    case 'Not':
      return hasPlaceholder(n.child);
    case 'FieldMatch':
    case 'Keyword':
      return n.value.kind === 'Str' && n.value.parts.some((p) => p.kind === 'Placeholder');
    case 'Const':
      return false;
  }
}

test('a pipeline using every kind of rewrite applies to the whole SigmaHQ corpus without failing', (t) => {
  if (!existsSync(corpus)) {
    t.skip('../shared not found');
    return;
  }
  const p = loadPipelineYaml(stress, 'stress.yml');
  assert.ok(p.ok, JSON.stringify(p.diagnostics));
  const rules = loadCorpus();
  assert.ok(rules.length > 3000, `only ${rules.length} rules lowered`);
  let withPlaceholders = 0;
  for (const ir of rules) {
    const before = JSON.stringify(ir);
    const r = applyPipelines(ir, [p.value]);
    assert.ok(r.ok, `${ir.file}: ${JSON.stringify(r.diagnostics)}`);
    assert.equal(JSON.stringify(ir), before, `${ir.file}: input changed`);
    if (ir.conditions.some(hasPlaceholder)) withPlaceholders++;
    assert.ok(!r.value.rule.conditions.some(hasPlaceholder), `${ir.file}: placeholder left`);
    if (ir.logsource.category === 'process_creation') {
      const c = r.value.rule.conditions[0];
      assert.ok(c?.kind === 'And' && c.children[0]?.kind === 'FieldMatch', `${ir.file}: no added condition`);
      assert.equal(c.children[0].field, 'event.category');
    }
  }
  assert.ok(withPlaceholders > 0, 'the corpus should contain placeholder rules');
});
