import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startStaticServer } from '../../site/index.js';
import type { Command } from '../command.js';
import { EXIT_FINDINGS, EXIT_USAGE, str, write } from '../command.js';

/** Where the site sits under a dist folder, or the folder itself when it is the site. */
function siteRoot(dir: string): string | undefined {
  for (const candidate of [join(dir, 'site'), dir]) {
    if (existsSync(join(candidate, 'index.html'))) return candidate;
  }
  return undefined;
}

export const serveCommand: Command = {
  name: 'serve',
  usage: 'serve [--port N] [--host ADDR] [DIST]',
  description: [
    'Serves DIST/site (or DIST itself when it holds index.html) as static files and prints the URL.',
    'DIST defaults to dist (what `tripline build` writes). Only files under the site folder are served;',
    'stop with Ctrl-C. The site also works without a server: open DIST/site/index.html directly.',
    'Exit status: 1 when there is no site to serve or the port is taken, 2 on a usage error.',
  ].join('\n'),
  options: {
    port: {
      type: 'string',
      short: 'p',
      arg: 'N',
      description: 'port to listen on (0 picks a free one)',
      default: '8080',
    },
    host: { type: 'string', arg: 'ADDR', description: 'address to bind', default: '127.0.0.1' },
  },
  examples: ['tripline serve', 'tripline serve dist --port 9000', 'tripline serve --port 0 out/site'],
  async run(io, values, positionals) {
    if (positionals.length > 1) {
      write(
        io.stderr,
        'error TL9002: give at most one folder to serve\n\nUsage: tripline serve [--port N] [DIST]',
      );
      return EXIT_USAGE;
    }
    const portText = str(values, 'port') ?? '8080';
    const port = Number(portText);
    if (!/^\d+$/.test(portText) || port > 65535) {
      write(io.stderr, `error TL9004: --port must be a number from 0 to 65535 (got '${portText}')`);
      return EXIT_USAGE;
    }
    const host = str(values, 'host') ?? '127.0.0.1';
    const dir = resolve(io.cwd, positionals[0] ?? 'dist');
    const root = existsSync(dir) && statSync(dir).isDirectory() ? siteRoot(dir) : undefined;
    if (!root) {
      write(io.stderr, `error TL9003: no site found in ${dir} (run \`tripline build\` first)`);
      return EXIT_FINDINGS;
    }
    let server;
    try {
      server = await startStaticServer(root, port, host);
    } catch (e) {
      write(io.stderr, `error TL9003: cannot listen on ${host}:${port}: ${String(e)}`);
      return EXIT_FINDINGS;
    }
    write(io.stdout, `Serving ${root}\nOpen ${server.url} (Ctrl-C to stop)`);
    // Runs until the process is interrupted; the CLI owns process signals.
    await new Promise<void>((done) => server.server.once('close', () => done()));
    return 0;
  },
};
