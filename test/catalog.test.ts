import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPack } from '../src/pack/load.js';
import { catalogMarkdown } from '../src/pack/catalog.js';
import { projectRoot } from '../src/paths.js';

describe('docs/catalog.md', () => {
  it('is current with the pack (run `npm run catalog` after changing a query)', () => {
    const committed = readFileSync(join(projectRoot(), 'docs', 'catalog.md'), 'utf8');
    expect(committed).toBe(catalogMarkdown(loadPack()));
  });
  it('documents every query with its parameters and columns', () => {
    const text = catalogMarkdown(loadPack());
    for (const q of loadPack().queries) {
      expect(text).toContain(`\`${q.id}\`: ${q.title}`);
      for (const c of q.columns) expect(text).toContain(`\`${c}\``);
    }
  });
});
