import type { Catalogue, CatalogueDetection } from '../../src/build/model.js';

export const XSS = `<script>alert("x")</script><img src=x onerror=alert(1)>`;

/** A catalogue whose every text field carries markup, quotes and path tricks. */
export function hostileCatalogue(): Catalogue {
  const det: CatalogueDetection = {
    id: '../../etc/passwd',
    slug: '../../../evil',
    title: `Evil ${XSS} title`,
    description: `Desc ${XSS} [click](javascript:alert(1)) **bold**`,
    level: 'high',
    severity: 'high"><script>',
    confidence: 'medium',
    type: 'TTP',
    origin: 'content',
    source: 'x.yml',
    kind: 'rule',
    techniques: [
      { id: 'T1119', name: `Automated ${XSS}`, tactics: ['collection'], url: 'javascript:alert(1)' },
    ],
    tactics: [{ id: 'TA0009', shortname: 'collection', name: 'Collection' }],
    tags: ['attack.t1119'],
    dataSources: [`ds ${XSS}`],
    stories: [`Story ${XSS}`],
    falsepositives: [`FP ${XSS}`],
    references: ['javascript:alert(1)', 'https://example.com/?a=1&b="2"'],
    triage: `# Step\n${XSS}\n- item <b>x</b>`,
    riskObjects: [],
    threatObjects: [],
    enrichment: [{ name: `Flag${XSS}`, selection: `CommandLine|contains: '${XSS}'` }],
    tests: [{ name: `t ${XSS}`, kind: 'positive', expectMatches: 1, expectEnrichment: [], events: [{}] }],
    atomics: [
      {
        guid: `g${XSS}`,
        technique: 'T1119/../../x',
        name: `atomic ${XSS}`,
        telemetry: [{ source: `Sysmon ${XSS}`, eventId: 1, fields: { [`F${XSS}`]: XSS } }],
      },
    ],
    sigma: `title: ${XSS}\ndetection:\n  sel:\n    CommandLine: '</script>'\n  condition: sel`,
    logsource: { product: `windows${XSS}` },
    targets: {
      splunk: {
        backend: 'splunk',
        language: 'SPL',
        status: 'converted',
        reason: [],
        queries: [`CommandLine="*${XSS}*" | eval x="</code></pre><script>"`],
        tables: [`index=${XSS}`],
        format: 'default',
        override: false,
        fields: {},
        files: [],
      },
      sentinel: {
        backend: 'kusto',
        language: 'KQL',
        status: 'degraded',
        reason: [`why ${XSS}`],
        queries: [`T | where CommandLine has '${XSS}'`],
        tables: [XSS],
        format: 'default',
        override: false,
        fields: {},
        files: [],
      },
    },
  };
  return {
    version: 1,
    generatedBy: 'test',
    attack: { version: `v1${XSS}` },
    targets: [
      { name: 'splunk', backend: 'splunk', language: 'SPL', label: `Splunk ${XSS}` },
      { name: 'sentinel', backend: 'kusto', language: 'KQL', label: 'Sentinel' },
    ],
    detections: [det],
    stories: [
      {
        id: '../story',
        slug: '..',
        name: `Story ${XSS}`,
        version: 1,
        date: '2026-01-01',
        author: XSS,
        description: XSS,
        narrative: `${XSS}\n\n[x](javascript:alert(1))`,
        references: ['javascript:alert(1)'],
        category: [XSS],
        detections: [det.id],
        techniques: ['T1119'],
        tactics: ['collection'],
        dataSources: [`ds ${XSS}`],
        logsources: [XSS],
      },
    ],
    dataSources: [
      {
        name: `ds ${XSS}`,
        slug: '/etc/passwd',
        provider: XSS,
        logsource: {},
        fields: [XSS],
        exampleEvent: { a: XSS },
        targets: { splunk: { index: XSS, fields: { [XSS]: XSS } } },
        references: [],
        detections: [det.id],
      },
    ],
    techniques: [
      {
        id: 'T1119',
        name: `Automated ${XSS}`,
        url: 'javascript:alert(1)',
        tactics: ['collection'],
        detections: [det.id],
      },
    ],
    tactics: [
      { id: 'TA0009', shortname: 'collection', name: `Collection`, techniques: ['T1119'], total: 10 },
    ],
    totals: {
      detections: 1,
      techniques: 1,
      byTarget: { splunk: { converted: 1, degraded: 0, unsupported: 0 } },
    },
  };
}
