/**
 * The Kibana rules NDJSON and the Sentinel analytics rule YAML against schemas written from the
 * vendors' documentation (Elastic Security detections API "create rule" / rules import; the
 * Azure-Sentinel repository's scheduled-rule template and its validation of tactics/techniques).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Schema } from './helpers.js';
import { shippedBuild, validate } from './helpers.js';

const str: Schema = { type: 'string' };
const strs: Schema = { type: 'array', items: str };
const duration = /^\d+[smhd]$/;

const threatTechnique: Schema = {
  type: 'object',
  required: ['id', 'name', 'reference'],
  properties: {
    id: { type: 'string', pattern: /^T\d{4}$/ },
    name: str,
    reference: { type: 'string', pattern: /^https:\/\/attack\.mitre\.org\/techniques\/T\d{4}\/$/ },
    subtechnique: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'name', 'reference'],
        properties: { id: { type: 'string', pattern: /^T\d{4}\.\d{3}$/ }, name: str, reference: str },
        additional: false,
      },
    },
  },
  additional: false,
};

const kibanaRule: Schema = {
  type: 'object',
  required: ['rule_id', 'name', 'description', 'risk_score', 'severity', 'type', 'query', 'language'],
  properties: {
    rule_id: { type: 'string', minLength: 1 },
    name: { type: 'string', minLength: 1 },
    description: { type: 'string', minLength: 1 },
    risk_score: { type: 'integer', min: 0, max: 100 },
    severity: { type: 'string', enum: ['low', 'medium', 'high', 'critical'] },
    type: { type: 'string', enum: ['query', 'esql', 'eql', 'threshold', 'saved_query', 'threat_match', 'machine_learning', 'new_terms'] },
    language: { type: 'string', enum: ['kuery', 'lucene', 'esql', 'eql'] },
    query: { type: 'string', minLength: 1 },
    index: strs,
    enabled: { type: 'boolean' },
    interval: { type: 'string', pattern: duration },
    from: { type: 'string', pattern: /^now-\d+[smhd]$/ },
    to: { type: 'string', enum: ['now'] },
    max_signals: { type: 'integer', min: 1 },
    author: strs,
    license: str,
    tags: strs,
    false_positives: strs,
    references: strs,
    note: str,
    setup: str,
    version: { type: 'integer', min: 1 },
    threat: {
      type: 'array',
      items: {
        type: 'object',
        required: ['framework', 'tactic'],
        properties: {
          framework: { type: 'string', enum: ['MITRE ATT&CK'] },
          tactic: {
            type: 'object',
            required: ['id', 'name', 'reference'],
            properties: { id: { type: 'string', pattern: /^TA\d{4}$/ }, name: str, reference: str },
            additional: false,
          },
          technique: { type: 'array', items: threatTechnique },
        },
        additional: false,
      },
    },
    risk_score_mapping: { type: 'array', items: { type: 'object', properties: {} } },
    severity_mapping: { type: 'array', items: { type: 'object', properties: {} } },
    exceptions_list: { type: 'array', items: { type: 'object', properties: {} } },
    related_integrations: { type: 'array', items: { type: 'object', properties: {} } },
    required_fields: { type: 'array', items: { type: 'object', properties: {} } },
    actions: { type: 'array', items: { type: 'object', properties: {} } },
  },
  additional: false,
};

const SENTINEL_TACTICS = [
  'Reconnaissance', 'ResourceDevelopment', 'InitialAccess', 'Execution', 'Persistence', 'PrivilegeEscalation',
  'DefenseEvasion', 'CredentialAccess', 'Discovery', 'LateralMovement', 'Collection', 'CommandAndControl',
  'Exfiltration', 'Impact', 'ImpairProcessControl', 'InhibitResponseFunction',
];
const ENTITY_TYPES = [
  'Account', 'Host', 'IP', 'Malware', 'File', 'Process', 'CloudApplication', 'DNS', 'AzureResource', 'FileHash',
  'RegistryKey', 'RegistryValue', 'SecurityGroup', 'URL', 'Mailbox', 'MailCluster', 'MailMessage', 'SubmissionMail',
];

const sentinelRule: Schema = {
  type: 'object',
  required: [
    'id', 'name', 'description', 'severity', 'requiredDataConnectors', 'queryFrequency', 'queryPeriod',
    'triggerOperator', 'triggerThreshold', 'tactics', 'relevantTechniques', 'query', 'version', 'kind',
  ],
  properties: {
    id: { type: 'string', pattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i },
    name: { type: 'string', minLength: 1, pattern: /^[^\r\n]{1,256}$/ },
    description: { type: 'string', minLength: 1 },
    severity: { type: 'string', enum: ['Informational', 'Low', 'Medium', 'High'] },
    requiredDataConnectors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['connectorId', 'dataTypes'],
        properties: { connectorId: { type: 'string', minLength: 1 }, dataTypes: strs },
        additional: false,
      },
    },
    queryFrequency: { type: 'string', pattern: /^\d+[mhd]$/ },
    queryPeriod: { type: 'string', pattern: /^\d+[mhd]$/ },
    triggerOperator: { type: 'string', enum: ['gt', 'lt', 'eq', 'ne'] },
    triggerThreshold: { type: 'integer', min: 0 },
    tactics: { type: 'array', items: { type: 'string', enum: SENTINEL_TACTICS } },
    relevantTechniques: { type: 'array', items: { type: 'string', pattern: /^T\d{4}$/ } },
    query: { type: 'string', minLength: 1 },
    entityMappings: {
      type: 'array',
      maxItems: 10,
      items: {
        type: 'object',
        required: ['entityType', 'fieldMappings'],
        properties: {
          entityType: { type: 'string', enum: ENTITY_TYPES },
          fieldMappings: {
            type: 'array',
            maxItems: 3,
            items: {
              type: 'object',
              required: ['identifier', 'columnName'],
              properties: { identifier: str, columnName: { type: 'string', pattern: /^[A-Z_]\w*$/i } },
              additional: false,
            },
          },
        },
        additional: false,
      },
    },
    customDetails: {
      type: 'object',
      properties: {},
      additional: { type: 'string', pattern: /^[A-Z_]\w*$/i },
    },
    version: { type: 'string', pattern: /^\d+\.\d+\.\d+$/ },
    kind: { type: 'string', enum: ['Scheduled', 'NRT'] },
  },
  additional: false,
};

test('every line of the Kibana rules NDJSON is a valid rule for the import API', () => {
  const b = shippedBuild();
  const lines = readFileSync(join(b.out, 'packages/elastic/rules.ndjson'), 'utf8').split('\n').filter(Boolean);
  const expected = b.catalogue.detections.filter((d) => d.targets.elastic?.status !== 'unsupported').length;
  assert.equal(lines.length, expected);
  const ids = new Set<string>();
  for (const line of lines) {
    const rule = JSON.parse(line) as Record<string, unknown>;
    assert.deepEqual(validate(rule, kibanaRule), [], String(rule.name));
    // A query rule searches index patterns; an ES|QL rule names its source in the query.
    if (rule.type === 'query') assert.ok(Array.isArray(rule.index) && rule.index.length > 0);
    if (rule.type === 'esql') assert.match(String(rule.query), /^from /i);
    assert.equal(rule.language === 'esql', rule.type === 'esql');
    ids.add(String(rule.rule_id));
  }
  assert.equal(ids.size, lines.length, 'rule_id values are unique');
});

test('every Sentinel analytics rule YAML validates, and enrichment becomes custom details', () => {
  const b = shippedBuild();
  const dir = join(b.out, 'packages/sentinel');
  const files = readdirSync(dir);
  assert.ok(files.length > 30);
  let withDetails = 0;
  for (const f of files) {
    const rule = parse(readFileSync(join(dir, f), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(validate(rule, sentinelRule), [], f);
    const details = rule.customDetails as Record<string, string> | undefined;
    if (details) {
      withDetails++;
      for (const col of Object.values(details)) assert.match(String(rule.query), new RegExp(`\\| extend ${col} = `));
    }
  }
  assert.ok(withDetails > 10, 'detections with enrichment carry custom details');
  const t1119 = parse(
    readFileSync(join(dir, 'automated-collection-of-sensitive-files-via-command-line.yaml'), 'utf8'),
  ) as { tactics: string[]; relevantTechniques: string[]; entityMappings: { entityType: string }[] };
  assert.ok(t1119.tactics.includes('Collection'));
  assert.ok(t1119.relevantTechniques.includes('T1119'));
  assert.ok(t1119.entityMappings.some((m) => m.entityType === 'Account'));
});
