import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { loadPack } from '../src/pack/load.js';
import { loadReports, parseReport, reportNames } from '../src/reports/load.js';
import { parsePeriod, periodDays } from '../src/reports/period.js';
import { isoSeconds } from '../src/params/time.js';

const pack = loadPack();

function check(text: string) {
  return () => parseReport('t', '/tmp/t.yaml', text, pack);
}

const head = 'title: T\ndescription: D\ncontrols: ["SOC 2 CC7.2"]\nsections:\n';

describe('report definitions in reports/', () => {
  it('ships the five evidence reports the issue asks for', () => {
    expect(reportNames()).toEqual(
      expect.arrayContaining([
        'privileged-iam-changes',
        'root-console-access',
        'logging-integrity',
        'network-exposure',
        'data-transfer-cost',
      ]),
    );
  });

  // Loading checks every section against the pack: an unknown query, parameter or chart column fails here.
  it.each(reportNames())('%s holds together against the pack', (name) => {
    const report = loadReports().find((r) => r.name === name)!;
    expect(report.definition.controls.length).toBeGreaterThan(0);
    expect(report.sections.length).toBeGreaterThan(0);
    for (const s of report.sections) {
      expect(pack.byId.has(s.query.id)).toBe(true);
      expect(s.review.length, `${name} ${s.key}: review guidance`).toBeGreaterThan(30);
    }
  });

  it('covers the questions the issue names', () => {
    const queries = (name: string) =>
      loadReports()
        .find((r) => r.name === name)!
        .sections.map((s) => s.query.id);
    expect(queries('privileged-iam-changes')).toEqual(
      expect.arrayContaining([
        'iam-policy-changes',
        'admin-policy-attached',
        'iam-users-created',
        'access-keys-created',
        'mfa-deactivated',
      ]),
    );
    expect(queries('root-console-access')).toEqual(
      expect.arrayContaining(['root-account-activity', 'console-logins', 'console-login-without-mfa']),
    );
    expect(queries('logging-integrity')).toEqual(expect.arrayContaining(['trail-tampering', 'flow-logs-deleted']));
    expect(queries('network-exposure')).toEqual(expect.arrayContaining(['security-group-opened-to-world', 'admin-port-traffic']));
    expect(queries('data-transfer-cost')).toEqual(expect.arrayContaining(['cost-by-category', 'data-transfer-pairs', 'top-talkers']));
  });

  it('rejects a section naming a query that does not exist, with a suggestion', () => {
    expect(check(`${head}  - query: trail-tamperin\n    review: look\n`)).toThrow(
      /sections\.0\.query: unknown query "trail-tamperin" \(did you mean trail-tampering\?\)/,
    );
  });

  it('rejects a parameter the query does not have', () => {
    expect(check(`${head}  - query: trail-tampering\n    review: look\n    params: { include_faild: true }\n`)).toThrow(
      /sections\.0\.params\.include_faild: query trail-tampering has no parameter "include_faild" \(did you mean include_failed\?\)/,
    );
  });

  it('rejects since/until: the period sets the window', () => {
    expect(check(`${head}  - query: trail-tampering\n    review: look\n    params: { since: 7d }\n`)).toThrow(
      /the report period sets the time window; remove since/,
    );
  });

  it('rejects a parameter value the query would refuse, and a missing required parameter', () => {
    expect(check(`${head}  - query: trail-tampering\n    review: look\n    params: { limit: -3 }\n`)).toThrow(
      /sections\.0\.params: trail-tampering: --limit/,
    );
    expect(check(`${head}  - query: who-deleted\n    review: look\n`)).toThrow(/sections\.0\.params: .*resource/);
  });

  it('rejects a chart over a column the query does not return', () => {
    expect(
      check(`${head}  - query: top-talkers\n    review: look\n    chart: { type: bar, label: [srcaddr, dstadr], value: bytes }\n`),
    ).toThrow(/sections\.0\.chart: query top-talkers has no column "dstadr" \(did you mean dstaddr\?\)/);
  });

  it('rejects unknown keys and a section without review guidance', () => {
    expect(check(`${head}  - query: top-talkers\n    review: look\n    reveiw: x\n`)).toThrow(/sections\.0: Unrecognized key/);
    expect(check(`${head}  - query: top-talkers\n`)).toThrow(/sections\.0\.review/);
    expect(check('title: T\ndescription: D\nsections:\n  - query: top-talkers\n    review: look\n')).toThrow(/controls/);
  });

  it('hashes the definition exactly as written', () => {
    const text = `${head}  - query: top-talkers\n    review: look\n`;
    expect(parseReport('t', '/tmp/t.yaml', text, pack).sha256).toBe(createHash('sha256').update(text).digest('hex'));
  });
});

describe('report periods (UTC, half-open)', () => {
  const w = (spec: string) => {
    const p = parsePeriod(spec);
    return [isoSeconds(p.since), isoSeconds(p.until)];
  };

  it('reads a month, a quarter, a year and FROM..TO', () => {
    expect(w('2024-01')).toEqual(['2024-01-01T00:00:00Z', '2024-02-01T00:00:00Z']);
    expect(w('2024-12')).toEqual(['2024-12-01T00:00:00Z', '2025-01-01T00:00:00Z']);
    expect(w('2024-Q1')).toEqual(['2024-01-01T00:00:00Z', '2024-04-01T00:00:00Z']);
    expect(w('2024-q4')).toEqual(['2024-10-01T00:00:00Z', '2025-01-01T00:00:00Z']);
    expect(w('2024')).toEqual(['2024-01-01T00:00:00Z', '2025-01-01T00:00:00Z']);
    expect(w('2024-01-15..2024-02-15')).toEqual(['2024-01-15T00:00:00Z', '2024-02-15T00:00:00Z']);
    expect(w('2024-01-15T12:00:00+02:00..2024-01-16')).toEqual(['2024-01-15T10:00:00Z', '2024-01-16T00:00:00Z']);
  });

  it('counts the UTC days of a period, leap days included', () => {
    expect(periodDays(parsePeriod('2024-02'))).toHaveLength(29);
    expect(periodDays(parsePeriod('2024'))).toHaveLength(366);
    expect(periodDays(parsePeriod('2024-01-01..2024-01-03'))).toEqual(['2024-01-01', '2024-01-02']);
  });

  it.each([
    ['2024-13', /month 13 does not exist/],
    ['2024-Q5', /is not a period/],
    ['last month', /is not a period/],
    ['7d..now', /start "7d" is not an ISO-8601 date/],
    ['2024-02-01..2024-01-01', /the start 2024-02-01T00:00:00Z is not before the end 2024-01-01T00:00:00Z/],
    ['2024-01-01..', /is not a period/],
    ['2024-02-30..2024-03-01', /not a time/],
  ])('refuses %s', (spec, why) => {
    expect(() => parsePeriod(spec)).toThrow(why);
  });
});
