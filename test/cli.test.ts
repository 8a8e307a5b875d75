import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from './support/cli.js';
import { REAL_LAKE, tempDir } from './support/harness.js';
import { writeRecordsLake } from '../src/lake/records-lake.js';

const WINDOW = ['--since', '2024-07-01', '--until', '2024-09-01'];

describe('casebook CLI through exec(argv)', () => {
  it('lists the pack as a table and as JSON', async () => {
    const table = await cli(['list']);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('who-deleted');
    const json = await cli(['list', '--format', 'json']);
    const list = JSON.parse(json.stdout) as { id: string; title: string; audience: string[]; parameters: { name: string }[] }[];
    const q = list.find((x) => x.id === 'who-deleted')!;
    expect(q.title).toBe('Who deleted a resource');
    expect(q.parameters.map((p) => p.name)).toEqual(expect.arrayContaining(['resource', 'since', 'until']));
  });

  it('shows a query with its parameters and an example', async () => {
    const r = await cli(['show', 'who-deleted']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--resource <string>  (required)');
    expect(r.stdout).toContain('casebook run who-deleted --resource');
  });

  it('renders Athena SQL with the partition and event-time predicates', async () => {
    const r = await cli(['render', 'who-deleted', '--resource', 'b', '--since', '2024-01-01T10:00:00Z', '--until', '2024-01-02T10:00:00Z']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("day BETWEEN '2024/01/01' AND '2024/01/03'");
    expect(r.stdout).toContain("eventtime >= '2024-01-01T10:00:00Z' AND eventtime < '2024-01-02T10:00:00Z'");
  });

  it('relative windows count back from now', async () => {
    const r = await cli(['render', 'who-deleted', '--resource', 'b', '--since', '36h'], { now: new Date('2024-05-10T12:00:00Z') });
    expect(r.stdout).toContain("eventtime >= '2024-05-09T00:00:00Z' AND eventtime < '2024-05-10T12:00:00Z'");
  });

  it.each(['json', 'ndjson', 'csv', 'markdown', 'table'])('runs over the real lake with --format %s', async (format) => {
    const r = await cli([
      'run',
      'who-deleted',
      '--resource',
      'stratus-red-team-cloudtraild-trail',
      '--lake',
      REAL_LAKE,
      ...WINDOW,
      '--format',
      format,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/who-deleted: 1 row, [\d.]+ s, duckdb, \d+ files \(.+\) read/);
    if (format === 'json') {
      const rows = JSON.parse(r.stdout) as Record<string, unknown>[];
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ eventname: 'DeleteTrail', principal: 'arn:aws:iam::847129010505:user/christophe' });
    } else if (format === 'ndjson') {
      expect(r.stdout.trim().split('\n')).toHaveLength(1);
      expect(JSON.parse(r.stdout).eventname).toBe('DeleteTrail');
    } else if (format === 'csv') {
      const lines = r.stdout.trim().split('\n');
      expect(lines[0]).toBe(
        'eventtime,principal,principal_type,eventsource,eventname,sourceipaddress,useragent,errorcode,recipientaccountid,awsregion,eventid',
      );
      expect(lines[1]).toContain(',DeleteTrail,');
    } else if (format === 'markdown') {
      expect(r.stdout).toMatch(/^\| eventtime \| principal \|/);
      expect(r.stdout).toContain('| DeleteTrail |');
    } else {
      expect(r.stdout).toContain('DeleteTrail');
    }
  });

  describe('bad input: one line, non-zero exit, no stack', () => {
    const cases: [string, string[], RegExp][] = [
      ['unknown query', ['run', 'who-deletd'], /^casebook: unknown query "who-deletd" \(did you mean who-deleted\?\)/],
      [
        'unknown parameter',
        ['run', 'who-deleted', '--resorce', 'x'],
        /unknown option --resorce for run who-deleted \(did you mean --resource\?\)/,
      ],
      ['missing required parameter', ['run', 'who-deleted', '--lake', REAL_LAKE], /who-deleted: --resource is required/],
      ['bad time', ['render', 'who-deleted', '--resource', 'x', '--since', 'yesterday'], /--since "yesterday" is not a time/],
      [
        'since after until',
        ['render', 'who-deleted', '--resource', 'x', '--since', '2024-02-02', '--until', '2024-02-01'],
        /--since 2024-02-02T00:00:00Z is not before --until/,
      ],
      ['unknown command', ['runn'], /unknown command "runn" \(did you mean run\?\)/],
      [
        'bad format',
        ['run', 'who-deleted', '--resource', 'x', '--format', 'xml'],
        /^casebook: --format xml is not one of: table, csv, json, ndjson, markdown\n$/,
      ],
      [
        'missing lake',
        ['run', 'who-deleted', '--resource', 'x', '--lake', '/nonexistent/lake'],
        /lake directory \/nonexistent\/lake does not exist/,
      ],
      [
        'no logs for the window',
        ['run', 'who-deleted', '--resource', 'x', '--lake', REAL_LAKE, '--since', '2001-01-01', '--until', '2001-01-02'],
        /holds no cloudtrail log files for 2001-01-01T00:00:00Z/,
      ],
    ];
    it.each(cases)('%s', async (_name, argv, pattern) => {
      const r = await cli(argv);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(pattern);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stdout).toBe('');
    });
  });

  describe('corrupt log files are named', () => {
    function lakeWith(setup: (dir: string) => void) {
      const { dir, cleanup } = tempDir();
      writeRecordsLake(dir, {
        cloudtrail: [
          {
            eventVersion: '1.08',
            eventTime: '2024-03-01T10:00:00Z',
            eventName: 'DeleteBucket',
            eventSource: 's3.amazonaws.com',
            awsRegion: 'us-east-1',
            recipientAccountId: '111122223333',
            requestParameters: { bucketName: 'b' },
            eventID: 'e1',
          },
        ],
      });
      setup(join(dir, 'AWSLogs', '111122223333', 'CloudTrail', 'us-east-1', '2024', '03', '01'));
      return { dir, cleanup };
    }
    const bad: [string, (folder: string) => void, RegExp][] = [
      [
        'truncated gzip',
        (f) =>
          writeFileSync(
            join(f, 'x_CloudTrail_us-east-1_20240301T1010Z_bad.json.gz'),
            gzipSync(JSON.stringify({ Records: [] })).subarray(0, 12),
          ),
        /log file .*bad\.json\.gz is corrupt or truncated/,
      ],
      [
        'not gzip',
        (f) => writeFileSync(join(f, 'x_CloudTrail_us-east-1_20240301T1010Z_txt.json.gz'), 'hello'),
        /log file .*txt\.json\.gz is corrupt or truncated/,
      ],
      [
        'not JSON',
        (f) => writeFileSync(join(f, 'x_CloudTrail_us-east-1_20240301T1010Z_nj.json.gz'), gzipSync('{"Records": [ {"eventTime": ')),
        /log file .*nj\.json\.gz is not JSON/,
      ],
      [
        'no Records',
        (f) => writeFileSync(join(f, 'x_CloudTrail_us-east-1_20240301T1010Z_nr.json.gz'), gzipSync('{"digestStartTime": "x"}')),
        /nr\.json\.gz is not a CloudTrail log file/,
      ],
    ];
    it.each(bad)('%s', async (_name, corrupt, pattern) => {
      const { dir, cleanup } = lakeWith(corrupt);
      try {
        const r = await cli(['run', 'who-deleted', '--resource', 'b', '--lake', dir, '--since', '2024-03-01', '--until', '2024-03-02']);
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(pattern);
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
        expect(r.stdout).toBe('');
      } finally {
        cleanup();
      }
    });

    it.each(bad)('%s: --skip-bad-files leaves it out, names it, and answers from the rest', async (_name, corrupt) => {
      const { dir, cleanup } = lakeWith(corrupt);
      try {
        const r = await cli([
          'run',
          'who-deleted',
          '--resource',
          'b',
          '--lake',
          dir,
          '--since',
          '2024-03-01',
          '--until',
          '2024-03-02',
          '--skip-bad-files',
          '--format',
          'json',
        ]);
        expect(r.code, r.stderr).toBe(0);
        expect((JSON.parse(r.stdout) as { eventid: string }[]).map((x) => x.eventid)).toEqual(['e1']);
        expect(r.stderr).toMatch(
          /skipped bad log file .*_(bad|txt|nj|nr)\.json\.gz: (not a valid gzip file|not valid JSON|no Records list)/,
        );
      } finally {
        cleanup();
      }
    });
  });

  it('--debug adds the stack', async () => {
    const r = await cli(['run', 'who-deleted', '--resource', 'x', '--lake', '/nonexistent/lake', '--debug']);
    expect(r.code).toBe(2); // a missing --lake directory is a usage mistake
    expect(r.stderr).toMatch(/\n\s+at /);
  });

  it('an unknown flow-log header is reported', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const folder = join(dir, 'AWSLogs', '111122223333', 'vpcflowlogs', 'us-east-1', '2024', '03', '01');
      mkdirSync(folder, { recursive: true });
      writeFileSync(
        join(folder, '111122223333_vpcflowlogs_us-east-1_fl-1_20240301T1000Z_aa.log.gz'),
        gzipSync('2 111122223333 eni-1 1.1.1.1 2.2.2.2 1 2 6 1 1 1709287200 1709287260 ACCEPT OK\n'),
      );
      const { DuckdbEngine } = await import('../src/engines/duckdb/engine.js');
      const e = new DuckdbEngine({ lake: dir });
      await expect(
        e.run('SELECT count(*) AS n FROM vpc_flow_logs', {
          window: { since: new Date('2024-03-01'), until: new Date('2024-03-02') },
          tables: ['vpc_flow_logs'],
        }),
      ).rejects.toThrow(/does not start with a header line/);
      await e.close();
    } finally {
      cleanup();
    }
  });
});
