/** The shipped reports over real public records and over the generated sample lake, end to end through the CLI. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from './support/cli.js';
import { REAL_LAKE, tempDir } from './support/harness.js';
import { generateSampleLake, INCIDENT, MALLORY } from '../src/sample/generate.js';
import type { Manifest } from '../src/reports/bundle.js';
import { sha256 } from '../src/reports/hash.js';

type Rows = Record<string, unknown>[];

function bundle(dir: string) {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
  const rows = (query: string): Rows => {
    const s = manifest.sections.find((x) => x.query === query)!;
    expect(s.status, `${query}: ${s.error}`).toBe('ok');
    return JSON.parse(readFileSync(join(dir, `sections/${s.key}.json`), 'utf8')) as Rows;
  };
  return { manifest, rows };
}

function hashesHold(dir: string, m: Manifest): void {
  for (const [f, { sha256: want }] of Object.entries(m.files)) expect(sha256(readFileSync(join(dir, f))), f).toBe(want);
}

describe('shipped reports over ../shared/data/real-lake', () => {
  const tmp = tempDir('casebook-report-real-');
  afterAll(() => tmp.cleanup());

  async function report(name: string, period: string) {
    const out = join(tmp.dir, `${name}-${period.replace(/\W+/g, '_')}`);
    const r = await cli(['report', name, '--period', period, '--out', out, '--lake', REAL_LAKE, '--quiet', '--allow-partial']);
    expect(r.code, r.stderr).toBe(0);
    const b = bundle(out);
    expect(b.manifest.status).toBe('ok');
    hashesHold(out, b.manifest);
    expect((await cli(['verify', out, '--quiet'])).code).toBe(0);
    return b;
  }

  it('privileged-iam-changes finds the Stratus Red Team IAM detonations', async () => {
    const { rows } = await report('privileged-iam-changes', '2024-07-01..2024-09-01');
    expect(rows('iam-users-created').length).toBeGreaterThan(0);
    expect(rows('access-keys-created').length).toBeGreaterThan(0);
    expect(rows('admin-policy-attached').map((r) => r.policy)).toContain('arn:aws:iam::aws:policy/AdministratorAccess');
    expect(rows('iam-policy-changes').length).toBeGreaterThan(5);
  });

  it('root-console-access lists console sign-ins and the principals refused access', async () => {
    const { rows } = await report('root-console-access', '2024');
    expect(rows('console-logins').length).toBeGreaterThan(0);
    expect(rows('access-denied').map((r) => r.principal)).toContain('arn:aws:iam::111111111111:user/TrailDiscover');
  });

  it('logging-integrity finds trails stopped and deleted, flow logs deleted, GuardDuty muted', async () => {
    const { rows, manifest } = await report('logging-integrity', '2024-07-01..2024-09-01');
    const trail = rows('trail-tampering');
    expect(trail.map((r) => r.eventname)).toEqual(expect.arrayContaining(['StopLogging', 'DeleteTrail']));
    expect(trail.find((r) => r.eventname === 'DeleteTrail')).toMatchObject({ principal: 'arn:aws:iam::847129010505:user/christophe' });
    expect(rows('flow-logs-deleted').length).toBeGreaterThan(0);
    expect(rows('guardduty-tampering').length).toBeGreaterThan(0);
    expect(manifest.sections.every((s) => (s.filesRead ?? 0) > 0)).toBe(true);
  });

  it('network-exposure over a period holding both CloudTrail and flow logs', async () => {
    const { rows } = await report('network-exposure', '2021-09-01..2024-09-01');
    expect(rows('security-group-opened-to-world').length).toBeGreaterThan(0);
    expect(rows('admin-port-traffic')).toEqual([]); // the scanners in the sample were all rejected
  });

  it('data-transfer-cost over the flow-log samples', async () => {
    const { rows } = await report('data-transfer-cost', '2021-09-01..2022-12-01');
    expect(rows('cost-by-category').length).toBeGreaterThan(0);
    expect(rows('top-talkers').length).toBeGreaterThan(10);
  });

  it('a period with no flow logs fails the flow-log sections, says why, and keeps the others', async () => {
    const out = join(tmp.dir, 'exposure-2024');
    const r = await cli([
      'report',
      'network-exposure',
      '--period',
      '2024-07',
      '--out',
      out,
      '--lake',
      REAL_LAKE,
      '--quiet',
      '--allow-partial',
    ]);
    expect(r.code).toBe(1);
    const { manifest } = bundle(out);
    const failed = manifest.sections.filter((s) => s.status === 'failed');
    expect(failed.map((s) => s.query)).toEqual(['admin-port-traffic']);
    expect(failed[0]!.error).toMatch(/holds no vpc_flow_logs log files/);
  });
});

describe('shipped reports over the generated sample lake', () => {
  const tmp = tempDir('casebook-report-sample-');
  const lake = join(tmp.dir, 'lake');
  // The planted incidents happen three days before the last day.
  const period = '2024-03-11..2024-03-12';

  beforeAll(async () => {
    await generateSampleLake({ out: lake, days: 4, scale: 0.2, endDate: '2024-03-14' });
  });
  afterAll(() => tmp.cleanup());

  async function report(name: string) {
    const out = join(tmp.dir, name);
    const started = Date.now();
    const r = await cli(['report', name, '--period', period, '--out', out, '--lake', lake, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const b = bundle(out);
    hashesHold(out, b.manifest);
    expect(b.manifest.engine).toEqual({ name: 'duckdb', lake });
    const bytes = Object.values(b.manifest.files).reduce((s, f) => s + f.bytes, 0);
    console.log(
      `${name}: ${b.manifest.sections.length} sections, ${Object.keys(b.manifest.files).length + 2} files, ${Math.round(bytes / 1024)} KB, ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    return b;
  }

  it('logging-integrity: mallory stopped the trail and deleted a flow log', async () => {
    const { rows } = await report('logging-integrity');
    expect(rows('trail-tampering')).toEqual(
      expect.arrayContaining([expect.objectContaining({ eventname: 'StopLogging', principal: MALLORY.arn })]),
    );
    expect(rows('flow-logs-deleted')).toEqual([
      expect.objectContaining({ principal: MALLORY.arn, flow_log_ids: INCIDENT.deletedFlowLogId }),
    ]);
  });

  it('privileged-iam-changes: the backdoor user, its key and its administrator policy', async () => {
    const { rows } = await report('privileged-iam-changes');
    expect(rows('iam-users-created').map((r) => r.user_name)).toContain(INCIDENT.backdoorUser);
    expect(rows('access-keys-created').map((r) => r.key_user)).toContain(INCIDENT.backdoorUser);
    expect(rows('admin-policy-attached').map((r) => r.policy)).toContain(INCIDENT.adminPolicyArn);
  });

  it('root-console-access: the root sign-in without MFA', async () => {
    const { rows } = await report('root-console-access');
    expect(rows('console-login-without-mfa')).toEqual(
      expect.arrayContaining([expect.objectContaining({ principal_type: 'Root', sourceipaddress: INCIDENT.rootLoginIp })]),
    );
    expect(rows('root-account-activity').length).toBeGreaterThan(0);
  });

  it('network-exposure: SSH opened to the world, and admin-port traffic accepted from the internet', async () => {
    const { rows } = await report('network-exposure');
    expect(rows('security-group-opened-to-world')).toEqual([
      expect.objectContaining({ group_id: INCIDENT.openedSecurityGroup, open_rules: 'tcp/22 0.0.0.0/0' }),
    ]);
    expect(rows('admin-port-traffic').some((r) => r.srcaddr === INCIDENT.bruteForceIp && r.action === 'ACCEPT')).toBe(true);
  });

  it('data-transfer-cost: the exfiltration pair tops the talkers and the bill', async () => {
    const { rows } = await report('data-transfer-cost');
    expect(rows('top-talkers')[0]).toMatchObject({ srcaddr: INCIDENT.exfilHost, dstaddr: INCIDENT.exfilDest });
    expect(rows('data-transfer-pairs')[0]).toMatchObject({
      srcaddr: INCIDENT.exfilHost,
      dstaddr: INCIDENT.exfilDest,
      category: 'internet-egress',
    });
    expect(rows('cost-by-category')[0]).toMatchObject({ account_id: '111122223333', category: 'internet-egress' });
  });
});
