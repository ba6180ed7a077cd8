/**
 * Sentinel entity mappings name columns of the table the rule queries: the host is DeviceName on the
 * Defender XDR tables and Computer on the Windows event tables; accounts and IPs fall back to the
 * family's column when the pipeline did not map the rule's field.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { entityColumn } from '../../src/build/packages/sentinel-entities.js';
import { shippedBuild } from './helpers.js';

interface Mapping {
  entityType: string;
  fieldMappings: { identifier: string; columnName: string }[];
}

test('shipped Sentinel rules over Defender XDR tables map Host to DeviceName, never Computer', () => {
  const b = shippedBuild();
  const dir = join(b.out, 'packages/sentinel');
  let hosts = 0;
  for (const f of readdirSync(dir)) {
    const rule = parse(readFileSync(join(dir, f), 'utf8')) as {
      requiredDataConnectors: { dataTypes: string[] }[];
      entityMappings: Mapping[];
    };
    const tables = rule.requiredDataConnectors.flatMap((c) => c.dataTypes);
    if (tables.length === 0 || !tables.every((t) => t.startsWith('Device'))) continue;
    for (const m of rule.entityMappings) {
      const cols = m.fieldMappings.map((x) => x.columnName);
      assert.ok(!cols.includes('Computer'), `${f}: ${m.entityType} mapped to Computer, which ${tables.join(', ')} lack`);
      if (m.entityType === 'Host') {
        hosts++;
        assert.deepEqual(cols, ['DeviceName'], f);
      }
      if (m.entityType === 'Account') {
        assert.ok(
          cols.every((c) => /AccountName$/.test(c)),
          `${f}: Account mapped to ${cols.join(', ')}, not an account column of ${tables.join(', ')}`,
        );
      }
    }
  }
  assert.ok(hosts > 10, `expected host entities in the shipped rules, found ${hosts}`);
});

test('the host column follows the table family', () => {
  assert.equal(entityColumn('host', 'Computer', 'Computer', ['DeviceProcessEvents']), 'DeviceName');
  assert.equal(entityColumn('host', 'Computer', 'Computer', ['SecurityEvent']), 'Computer');
  assert.equal(entityColumn('host', 'Computer', 'Computer', ['Event']), 'Computer');
  assert.equal(entityColumn('host', 'Computer', 'Computer', ['WindowsEvent']), 'Computer');
  assert.equal(entityColumn('host', 'ComputerName', 'ComputerName', ['IdentityLogonEvents']), 'DeviceName');
  assert.equal(entityColumn('host', 'hostname', 'hostname', ['Syslog']), 'HostName');
});

test('accounts and IPs keep the pipeline mapping and fall back to the family column', () => {
  // Mapped by the pipeline: kept.
  assert.equal(entityColumn('account', 'User', 'AccountName', ['DeviceProcessEvents']), 'AccountName');
  // Not mapped: the acting account of that table.
  assert.equal(
    entityColumn('account', 'SubjectUserName', 'SubjectUserName', ['DeviceRegistryEvents']),
    'InitiatingProcessAccountName',
  );
  assert.equal(entityColumn('account', 'SubjectUserName', 'SubjectUserName', ['SecurityEvent']), 'SubjectUserName');
  assert.equal(entityColumn('ip', 'DestinationIp', 'RemoteIP', ['DeviceNetworkEvents']), 'RemoteIP');
  assert.equal(entityColumn('ip', 'IpAddress', 'IpAddress', ['SecurityEvent']), 'IpAddress');
  assert.equal(entityColumn('ip', 'src_ip', 'src_ip', ['DeviceLogonEvents']), 'RemoteIP');
  // A table outside the known families: the pipeline's name, unchanged.
  assert.equal(entityColumn('host', 'Computer', 'Computer', ['CommonSecurityLog']), 'Computer');
});
