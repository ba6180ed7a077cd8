import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { walkFiles } from '../../src/util/files.js';
import {
  dataSourceJsonSchema,
  detectionJsonSchema,
  loadContent,
  storyJsonSchema,
} from '../../src/content/index.js';
import { unknownKeywords, validate } from './json-schema-lite.js';
import { contentDir, detectionText, fixtureWith } from './helpers.js';

const schemas = {
  detection: detectionJsonSchema(),
  story: storyJsonSchema(),
  'data-source': dataSourceJsonSchema(),
};

test('the committed schema files are the ones the model generates (run scripts/gen-content-schema.js)', () => {
  for (const [name, schema] of Object.entries(schemas)) {
    const file = JSON.parse(
      readFileSync(join(contentDir, 'schema', `${name}.schema.json`), 'utf8'),
    ) as unknown;
    assert.deepEqual(file, schema, `${name}.schema.json is stale`);
  }
});

test('the schemas are draft-07 JSON Schema using only known keywords, with compilable patterns', () => {
  for (const [name, schema] of Object.entries(schemas)) {
    assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
    assert.deepEqual(unknownKeywords(schema), [], name);
    const patterns = JSON.stringify(schema).match(/"pattern":"(?:[^"\\]|\\.)*"/g) ?? [];
    for (const p of patterns)
      assert.doesNotThrow(() => new RegExp(JSON.parse(`{${p}}`).pattern as string, 'u'));
  }
});

function yamlDocs(file: string): unknown[] {
  return parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS() as unknown);
}

test('every shipped file validates against its schema', () => {
  const check = (
    dir: string,
    schema: Record<string, unknown>,
    pick: (docs: unknown[]) => unknown[],
  ): void => {
    for (const f of walkFiles([join(contentDir, dir)], ['.yml']).files) {
      for (const doc of pick(yamlDocs(f))) assert.deepEqual(validate(schema, doc), [], f);
    }
  };
  check('detections', schemas.detection, (docs) =>
    docs.filter((d) => typeof d === 'object' && d !== null && 'tripline' in d),
  );
  check('stories', schemas.story, (docs) => docs);
  check('data-sources', schemas['data-source'], (docs) => docs);
});

test('schema and loader agree on broken detections', () => {
  const cases = [
    detectionText().replace('  triage: Look at it.\n', '  triage: Look at it.\n  traige: typo\n'),
    detectionText().replace('confidence: medium', 'confidence: certain'),
    detectionText().replace('  confidence: medium\n', ''),
    detectionText().replace('RecursiveSearch:\n', 'recursive_search:\n'),
    detectionText().replace('kind: positive', 'kind: maybe'),
  ];
  for (const text of cases) {
    const doc = yamlDocs(fixtureText(text))[0];
    const schemaErrors = validate(schemas.detection, doc);
    const r = loadContent(fixtureWith(text));
    assert.ok(r.ok);
    const loaderErrors = r.diagnostics.filter((d) => d.severity === 'error' && d.code.startsWith('TL80'));
    assert.ok(schemaErrors.length > 0, `schema accepts:\n${text}`);
    assert.ok(loaderErrors.length > 0, `loader accepts:\n${text}`);
  }
  const good = yamlDocs(fixtureText(detectionText()))[0];
  assert.deepEqual(validate(schemas.detection, good), []);
});

function fixtureText(text: string): string {
  return join(fixtureWith(text), 'detections/test.yml');
}
