import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'vitest';
import type { Row, JsonValue } from '../../src/engines/engine.js';
import type { Expect, TestCase } from './test-cases.js';

export const REAL_LAKE = resolve(import.meta.dirname, '../../../shared/data/real-lake');

export function tempDir(prefix = 'casebook-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The error a promise rejects with; fails the test if it resolves instead. */
export async function rejectionOf<E extends Error = Error>(promise: Promise<unknown>): Promise<E> {
  let value: unknown;
  try {
    value = await promise;
  } catch (err) {
    expect(err, 'the rejection is an Error').toBeInstanceOf(Error);
    return err as E;
  }
  throw new Error(`expected a rejection, but it resolved with ${JSON.stringify(value)?.slice(0, 300)}`);
}

function matches(row: Row, want: Record<string, JsonValue>): boolean {
  return Object.entries(want).every(([k, v]) => k in row && JSON.stringify(row[k]) === JSON.stringify(v));
}

/** Assert a result against a test case's expectations, with a readable failure. */
export function assertExpect(rows: Row[], e: Expect, label: string): void {
  const shown = JSON.stringify(rows.slice(0, 5), null, 1).slice(0, 1500);
  if (e.count !== undefined) expect(rows.length, `${label}: row count; first rows: ${shown}`).toBe(e.count);
  if (e.min_count !== undefined) expect(rows.length, `${label}: at least ${e.min_count} rows`).toBeGreaterThanOrEqual(e.min_count);
  for (const want of e.rows ?? []) {
    expect(
      rows.some((r) => matches(r, want as Record<string, JsonValue>)),
      `${label}: no row matches ${JSON.stringify(want)}; got ${shown}`,
    ).toBe(true);
  }
  (e.first ?? []).forEach((want, i) => {
    const row = rows[i];
    expect(
      row !== undefined && matches(row, want as Record<string, JsonValue>),
      `${label}: row ${i} should match ${JSON.stringify(want)}; got ${JSON.stringify(row)}`,
    ).toBe(true);
  });
  for (const bad of e.absent ?? []) {
    expect(
      rows.some((r) => matches(r, bad as Record<string, JsonValue>)),
      `${label}: a row matches ${JSON.stringify(bad)}, which must be absent`,
    ).toBe(false);
  }
}

/**
 * Why a case's expectations cannot show that it found the right thing, or undefined:
 * a positive case names the rows it finds (`rows` or `first`: event ids or whole rows),
 * not only how many there are.
 */
export function weakExpectation(tc: Pick<TestCase, 'kind' | 'expect'>): string | undefined {
  if (tc.kind !== 'positive') return undefined;
  if ((tc.expect.rows?.length ?? 0) > 0 || (tc.expect.first?.length ?? 0) > 0) return undefined;
  return 'a positive case must name the rows it finds (expect.rows or expect.first, with event ids or whole rows), not only count them';
}

/** Assert a result against a test case: its expectations, which for a positive case must name rows. */
export function assertCase(rows: Row[], tc: Pick<TestCase, 'kind' | 'expect'>, label: string): void {
  expect(weakExpectation(tc), label).toBeUndefined();
  assertExpect(rows, tc.expect, label);
}
