/** The library entry (src/index.ts): typed errors that speak of arguments, not of command-line options. */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import {
  CasebookError,
  getQuery,
  openEngine,
  ParameterError,
  queries,
  renderQuery,
  reports,
  runReport,
  UnknownQueryError,
  UsageError,
} from '../src/index.js';
import { tempDir } from './support/harness.js';

const NOW = new Date('2024-03-10T00:00:00Z');

describe('library entry', () => {
  it('lists the queries with their parameters', () => {
    const all = queries();
    expect(all.length).toBeGreaterThan(50);
    const q = getQuery('who-deleted');
    expect(q.parameters.find((p) => p.name === 'resource')).toMatchObject({ type: 'string', required: true });
    expect(q.columns[0]).toBe('eventtime');
    expect(reports()).toContain('logging-integrity');
  });

  it('renders with validated parameters, a Date accepted for a time', () => {
    const p = renderQuery(
      'who-deleted',
      { resource: 'my-bucket', since: new Date('2024-03-01T00:00:00Z'), until: '2024-03-02' },
      { now: NOW },
    );
    expect(p.sql).toContain("eventtime >= '2024-03-01T00:00:00Z'");
    expect(p.params.resource).toBe('my-bucket');
  });

  it.each([
    [{ resource: '' }, 'who-deleted: parameter "resource" "" is empty', 'resource'],
    [{}, 'who-deleted: parameter "resource" is required', 'resource'],
    [{ resource: 'x', resorce: 'y' }, 'who-deleted: unknown parameter "resorce" (did you mean parameter "resource"?)', 'resorce'],
    [{ resource: 'x', since: 'yesterday' }, 'who-deleted: parameter "since" "yesterday" is not a time', 'since'],
    [
      { resource: 'x', since: '2024-03-02', until: '2024-03-01' },
      'who-deleted: parameter "since" 2024-03-02T00:00:00Z is not before parameter "until"',
      'since',
    ],
  ])('refuses %j with a ParameterError naming the parameter, never an option', (params, message, parameter) => {
    let err: unknown;
    try {
      renderQuery('who-deleted', params, { now: NOW });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ParameterError);
    expect(err).toBeInstanceOf(CasebookError);
    const e = err as ParameterError;
    expect(e.message.startsWith(message)).toBe(true);
    expect(e.message).not.toMatch(/--[a-z]/);
    expect([e.query, e.parameter]).toEqual(['who-deleted', parameter]);
  });

  it('names an unknown query and the closest one', () => {
    let err: unknown;
    try {
      renderQuery('who-deletd', {});
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UnknownQueryError);
    expect(err).toMatchObject({
      query: 'who-deletd',
      suggestion: 'who-deleted',
      message: 'unknown query "who-deletd" (did you mean who-deleted?); queries() lists them',
    });
  });

  it('opens no engine over a missing lake, and says so without options', async () => {
    const tmp = tempDir('casebook-lib-');
    try {
      await expect(openEngine({ engine: 'duckdb', lake: join(tmp.dir, 'nothing') })).rejects.toThrow(
        /^lake directory .*nothing does not exist$/,
      );
      await expect(openEngine({ engine: 'duckdb', lake: tmp.dir })).rejects.toThrow(
        /has no AWSLogs\/ folder: give the directory that holds the copy of the log bucket$/,
      );
      // @ts-expect-error an engine the library does not have
      await expect(openEngine({ engine: 'duckdbx', lake: tmp.dir })).rejects.toThrow(UsageError);
    } finally {
      tmp.cleanup();
    }
  });

  it('reports the days of the period the lake covers', async () => {
    const tmp = tempDir('casebook-lib-cov-');
    try {
      const { writeFixtureLake, writeFixtureReport, FIXTURE_PERIOD } = await import('./report-fixture.js');
      writeFixtureLake(join(tmp.dir, 'lake'));
      const file = writeFixtureReport(join(tmp.dir, 'defs'));
      const engine = await openEngine({ engine: 'duckdb', lake: join(tmp.dir, 'lake') });
      try {
        const outcome = await runReport(file, { engine, period: FIXTURE_PERIOD });
        expect(outcome.coverage).toBe('partial');
        expect(outcome.manifest.sections.map((x) => x.coverage?.missing)).toEqual([[], [], ['2024-03-01', '2024-03-03']]);
      } finally {
        await engine.close();
      }
    } finally {
      tmp.cleanup();
    }
  });

  it('refuses a bad period before running anything', async () => {
    const engine = {
      name: 'none',
      run: async () => {
        throw new Error('must not run');
      },
      close: async () => undefined,
    };
    await expect(runReport('logging-integrity', { engine, period: '7d' })).rejects.toThrow(/^period: /);
    await expect(runReport('logging-integrity', { engine, period: '7d' })).rejects.not.toThrow(/--period/);
  });
});
