// Regenerate docs/catalog.md from the pack's metadata: `npm run catalog`.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPack } from '../src/pack/load.js';
import { catalogMarkdown } from '../src/pack/catalog.js';
import { projectRoot } from '../src/paths.js';

const file = join(projectRoot(), 'docs', 'catalog.md');
writeFileSync(file, catalogMarkdown(loadPack()));
process.stdout.write(`wrote ${file}\n`);
