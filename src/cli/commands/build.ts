import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { hasErrors, renderText } from '../../diagnostics/index.js';
import { PACKAGE_TARGETS, runBuildAsync } from '../../build/index.js';
import type { SiteWorker } from '../../site/index.js';
import { startSiteWorker } from '../../site/index.js';
import type { CliIO, Command } from '../command.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, flag, str, strs, write } from '../command.js';

function progress(io: CliIO): ((done: number, total: number) => void) | undefined {
  if (!io.stderr.isTTY) return undefined;
  let last = -1;
  return (done, total) => {
    const pct = Math.floor((done / total) * 100);
    if (pct === last && done !== total) return;
    last = pct;
    const width = 30;
    const fill = Math.round((done / total) * width);
    io.stderr.write(`\r[${'#'.repeat(fill)}${' '.repeat(width - fill)}] ${done}/${total} conversions`);
    if (done === total) io.stderr.write('\n');
  };
}

/** Failures that come from the command line rather than the content: unknown target, missing folder. */
const USAGE_CODES = new Set(['TL8101', 'TL8100', 'TL8028']);

export const buildCommand: Command = {
  name: 'build',
  usage: 'build [CONTENT_DIR] [--rules SIGMA_DIR…] [--targets T,…] [-o dist] [--no-cache]',
  description: [
    'Converts every detection in CONTENT_DIR (default ./content, unless only --rules is given) and every plain',
    'Sigma rule under --rules for each package target, and writes under the output folder (default dist/):',
    '  packages/splunk     a Splunk app (savedsearches, macros, analytic stories) and its .tar.gz',
    '  packages/sentinel   one Sentinel scheduled analytics rule YAML per detection',
    '  packages/defender   Defender XDR hunting / custom detection KQL',
    '  packages/elastic    rules.ndjson for Kibana rule import',
    '  packages/qradar     AQL searches with metadata (JSON)',
    '  packages/sumologic  Cloud SIEM rule JSON',
    '  packages/secops     one YARA-L rule per detection',
    '  packages/logscale   CQL queries and saved-search definitions',
    '  packages/sigma      the Sigma rules without the tripline block',
    '  attack/             ATT&CK Navigator layers, combined and per target',
    '  site/               the detection library website (unless --no-site)',
    '  index.json          the catalogue; build-report.json / .txt: converted / degraded / unsupported',
    'Conversions are cached by content hash in <out>/.cache, so a rebuild converts only what changed.',
    `Targets: ${PACKAGE_TARGETS.join(', ')}.`,
    'Exit status: 0 built, 1 content errors or nothing could be written, 2 usage error (unknown option or',
    'target, content or rules folder not found).',
  ].join('\n'),
  options: {
    rules: {
      type: 'string',
      multiple: true,
      arg: 'SIGMA_DIR',
      description: 'plain Sigma rules to build too',
    },
    targets: {
      type: 'string',
      multiple: true,
      arg: 'T,…',
      description: 'package targets to build (default: all)',
    },
    out: { type: 'string', short: 'o', arg: 'DIR', description: 'output folder', default: 'dist' },
    'no-cache': { type: 'boolean', description: 'convert everything, ignoring the cache' },
    'no-site': { type: 'boolean', description: 'skip the static site (dist/site)' },
    quiet: { type: 'boolean', short: 'q', description: 'print only the summary table' },
  },
  examples: [
    'tripline build content/',
    'tripline build --rules ../sigma/rules -o dist-sigmahq',
    'tripline build content/ --targets splunk,sentinel -o out',
  ],
  async run(io, values, positionals) {
    if (positionals.length > 1) {
      write(
        io.stderr,
        `error TL9002: expected one content folder, got ${positionals.length}\n\nUsage: tripline ${this.usage}`,
      );
      return EXIT_USAGE;
    }
    const rules = strs(values, 'rules').map((r) => resolve(io.cwd, r));
    const contentDir =
      positionals[0] !== undefined
        ? resolve(io.cwd, positionals[0])
        : rules.length > 0
          ? undefined
          : resolve(io.cwd, 'content');
    const out = resolve(io.cwd, str(values, 'out') ?? 'dist');
    const onProgress = progress(io);
    const site = !flag(values, 'no-site');
    // The site is rendered on its own thread while this one renders and writes the packages.
    const siteWorker = site ? startSiteWorker() : undefined;
    let siteBuild: ReturnType<SiteWorker['build']> | undefined;
    const opts: Parameters<typeof runBuildAsync>[1] = {
      out,
      rules,
      targets: strs(values, 'targets'),
      incremental: !flag(values, 'no-cache'),
      onCatalogue: (cat) => {
        siteBuild = siteWorker?.build(cat, join(out, 'site'));
      },
    };
    if (onProgress) opts.onProgress = onProgress;
    const r = await runBuildAsync(contentDir, opts);
    const siteResult = await siteBuild;
    await siteWorker?.close();
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    if (!r.ok) {
      write(io.stderr, renderText(r.diagnostics));
      return r.diagnostics.some((d) => USAGE_CODES.has(d.code)) ? EXIT_USAGE : EXIT_FINDINGS;
    }
    if (!flag(values, 'quiet') && r.diagnostics.length > 0) write(io.stderr, renderText(r.diagnostics));
    const res = r.value;
    let open = relative(io.cwd, join(out, 'index.json')) || 'index.json';
    if (siteResult) {
      if (siteResult.diagnostics.length > 0) write(io.stderr, renderText(siteResult.diagnostics));
      if (!siteResult.ok) return EXIT_FINDINGS;
      open = relative(io.cwd, join(out, 'site', 'index.html'));
    }
    const text = flag(values, 'quiet')
      ? res.reportText.split('\n\n').slice(0, 3).join('\n\n')
      : res.reportText;
    write(io.stdout, text.trimEnd());
    write(
      io.stdout,
      `\nwrote ${res.files.length} files to ${relative(io.cwd, out) || '.'}; report: ${relative(io.cwd, join(out, 'build-report.txt'))}`,
    );
    write(io.stdout, `open ${site ? pathToFileURL(resolve(io.cwd, open)).href : open}`);
    return hasErrors(errors) ? EXIT_FINDINGS : EXIT_OK;
  },
};
