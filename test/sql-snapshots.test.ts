import { describe, expect, it } from 'vitest';
import { loadPack } from '../src/pack/load.js';
import { prepareQuery } from '../src/pack/prepare.js';
import { allFieldsFlowFormat } from '../src/pack/table-columns.js';
import { defaultFlowFormat } from '../src/glue/flow-format.js';

/**
 * The rendered Athena SQL of every query, with its example parameters and a fixed
 * window, kept as a reviewed file under test/__snapshots__/sql/. A change to a
 * template, a partial or a helper shows up here as a diff to read. Update with
 * `npx vitest run test/sql-snapshots.test.ts -u`.
 *
 * Flow-log queries are rendered for a table with every flow-log field (sql/), and again
 * for the default version 2 table (sql-v2/), the one `casebook ddl vpc_flow_logs` makes
 * without --format; a query that cannot be answered without a field says so there.
 */
const pack = loadPack();
const NOW = new Date('2024-03-15T12:00:00Z');

describe.each(pack.queries.map((q) => [q.id, q] as const))('%s', (id, q) => {
  it('renders the reviewed Athena SQL', async () => {
    const params: Record<string, unknown> = { since: '2024-03-01', until: '2024-03-15' };
    for (const [name, spec] of Object.entries(q.params)) {
      if (spec.example !== undefined) params[name] = spec.example;
    }
    const { sql } = prepareQuery(q, params, { now: NOW, flowFormat: allFieldsFlowFormat() });
    await expect(`-- casebook render ${id} (example parameters, 2024-03-01 to 2024-03-15)\n${sql}`).toMatchFileSnapshot(
      `__snapshots__/sql/${id}.sql`,
    );
  });

  it.runIf(q.tables.includes('vpc_flow_logs'))('renders the reviewed Athena SQL for the default (v2) flow-log table', async () => {
    const params: Record<string, unknown> = { since: '2024-03-01', until: '2024-03-15' };
    for (const [name, spec] of Object.entries(q.params)) {
      if (spec.example !== undefined) params[name] = spec.example;
    }
    let text: string;
    try {
      const { sql } = prepareQuery(q, params, { now: NOW, flowFormat: defaultFlowFormat() });
      text = `-- casebook render ${id} (example parameters, 2024-03-01 to 2024-03-15, default v2 flow-log format)\n${sql}`;
    } catch (err) {
      text = `-- casebook render ${id} (default v2 flow-log format) refuses:\n${(err as Error).message}\n`;
    }
    await expect(text).toMatchFileSnapshot(`__snapshots__/sql-v2/${id}.sql`);
  });
});
