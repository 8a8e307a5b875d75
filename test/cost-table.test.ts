import { describe, expect, it } from 'vitest';
import type { QueryResult } from '../src/engines/engine.js';
import { costTableView, dollars, formatCostTable, isCostResult } from '../src/format/cost-table.js';
import { formatResult } from '../src/format/format.js';

const STATS = { engine: 'duckdb', elapsedMs: 1, rows: 2 };

const pairs: QueryResult = {
  columns: ['account_id', 'srcaddr', 'dstaddr', 'category', 'basis', 'flows', 'bytes', 'gb', 'price_per_gb', 'estimated_cost_usd'].map(
    (name) => ({
      name,
      type: ['flows', 'bytes'].includes(name)
        ? 'BIGINT'
        : ['gb', 'price_per_gb', 'estimated_cost_usd'].includes(name)
          ? 'DOUBLE'
          : 'VARCHAR',
    }),
  ),
  rows: [
    {
      account_id: '111122223333',
      srcaddr: '10.0.2.15',
      dstaddr: '203.0.113.200',
      category: 'internet-egress',
      basis: 'inferred from addresses',
      flows: 144,
      bytes: 48_000_000_000,
      gb: 44.703484,
      price_per_gb: 0.09,
      estimated_cost_usd: 4.023314,
    },
    {
      account_id: '111122223333',
      srcaddr: '10.0.1.5',
      dstaddr: '10.0.3.9',
      category: 'cross-az',
      basis: 'flow-log fields',
      flows: 10,
      bytes: 2_500_000,
      gb: 0.002328,
      price_per_gb: 0.01,
      estimated_cost_usd: 0.000023,
    },
  ],
  stats: STATS,
};

describe('cost answers in a table', () => {
  it('shows bytes in human units, dollars with their basis beside them, and a total line', () => {
    expect(isCostResult(pairs)).toBe(true);
    const v = costTableView(pairs);
    expect(v.rows[0]).toMatchObject({ bytes: '48.0 GB', gb: '44.7', price_per_gb: '$0.09', estimated_cost_usd: '$4.02 (inferred)' });
    expect(v.rows[1]).toMatchObject({ bytes: '2.5 MB', estimated_cost_usd: '$0.000023' });
    expect(v.rows[2]).toMatchObject({
      account_id: 'TOTAL (2 rows)',
      flows: 154,
      bytes: '48.0 GB',
      estimated_cost_usd: '$4.02 (part inferred)',
      srcaddr: '',
    });
    const text = formatCostTable(pairs).text;
    expect(text).toContain('$4.02 (inferred)');
    expect(text).toContain('TOTAL (2 rows)');
    expect(text).not.toContain('48000000000');
  });

  it('keeps the raw numbers in csv and json', () => {
    expect(formatResult(pairs, 'csv')).toContain(',48000000000,');
    expect(JSON.parse(formatResult(pairs, 'json'))[0].bytes).toBe(48_000_000_000);
  });

  it('says how many flows of a category were inferred, and leaves out the columns the dollars speak for when narrow', () => {
    const cat: QueryResult = {
      columns: ['account_id', 'category', 'flows', 'bytes', 'gb', 'price_per_gb', 'estimated_cost_usd', 'inferred_flows'].map((name) => ({
        name,
        type: 'VARCHAR',
      })),
      rows: [
        {
          account_id: '111122223333',
          category: 'internet-egress',
          flows: 20,
          bytes: 1e9,
          gb: 0.93,
          price_per_gb: 0.09,
          estimated_cost_usd: 0.0838,
          inferred_flows: 5,
        },
      ],
      stats: STATS,
    };
    expect(costTableView(cat).rows).toHaveLength(1);
    expect(costTableView(cat).rows[0]!.estimated_cost_usd).toBe('$0.08 (5/20 inferred)');
    const narrow = formatCostTable(cat, { width: 80 });
    expect(narrow.hidden).toEqual(['inferred_flows', 'price_per_gb', 'gb']);
    expect(formatCostTable(cat, { width: 160 }).hidden).toEqual([]);
    expect(
      Math.max(
        ...narrow.text
          .trimEnd()
          .split('\n')
          .map((l) => l.length),
      ),
    ).toBeLessThanOrEqual(80);
    expect(dollars(1234.5)).toBe('$1,234.50');
    expect(dollars(0)).toBe('$0');
  });
});
