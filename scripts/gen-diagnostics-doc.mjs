// Regenerates docs/diagnostics.md from the code catalog (run after `npm run build`).
import { writeFileSync } from 'node:fs';
import { diagnosticsMarkdown } from '../build/src/diagnostics/docs.js';

writeFileSync(new URL('../docs/diagnostics.md', import.meta.url), diagnosticsMarkdown());
