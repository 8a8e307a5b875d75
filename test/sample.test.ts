import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { generateSampleLake, INCIDENT_QUERIES, SAMPLE_MARKER, type SampleOptions, type SampleSummary } from '../src/sample/generate.js';
import { V2_FIELDS, V5_FIELDS } from '../src/sample/flowlogs.js';

const END = '2024-03-14';
const INCIDENT_DAY = '2024-03-11';
const BASE: Omit<SampleOptions, 'out'> = { days: 4, scale: 0.1, seed: 7, endDate: END };
const ACCOUNTS = ['111122223333', '444455556666', '777788889999'];
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];

const CT_NAME =
  /^AWSLogs\/(\d{12})\/CloudTrail\/([a-z0-9-]+)\/(\d{4})\/(\d{2})\/(\d{2})\/(\d{12})_CloudTrail_([a-z0-9-]+)_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_[A-Za-z0-9]{16}\.json\.gz$/;
const FLOW_NAME =
  /^AWSLogs\/(\d{12})\/vpcflowlogs\/([a-z0-9-]+)\/(\d{4})\/(\d{2})\/(\d{2})\/(\d{12})_vpcflowlogs_([a-z0-9-]+)_fl-[0-9a-f]{17}_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_[0-9a-f]{8}\.log\.gz$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const EVENT_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

// biome-ignore lint/suspicious/noExplicitAny: records are free-form CloudTrail JSON read back from the lake; the checks reach into them at will
type Rec = Record<string, any>;

/** Cheap assertions for per-record loops (vitest's expect is too slow for tens of thousands of checks). */
class Problems {
  readonly list: string[] = [];
  check(ok: boolean, what: string): void {
    if (!ok && this.list.length < 20) this.list.push(what);
  }
  assertNone(): void {
    expect(this.list).toEqual([]);
  }
}
interface CtFile {
  path: string;
  account: string;
  region: string;
  folderDay: string;
  stamp: number;
  records: Rec[];
}
interface FlowFile {
  path: string;
  account: string;
  region: string;
  stamp: number;
  header: string[];
  rows: Record<string, string>[];
}

function listFiles(root: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(root, rel), { withFileTypes: true })) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(root, p));
    else out.push(p);
  }
  return out.sort();
}

function stampOf(m: RegExpMatchArray, i: number): number {
  return Date.UTC(+m[i], +m[i + 1] - 1, +m[i + 2], +m[i + 3], +m[i + 4]) / 1000;
}

function readLake(root: string): { ct: CtFile[]; flow: FlowFile[]; other: string[] } {
  const ct: CtFile[] = [];
  const flow: FlowFile[] = [];
  const other: string[] = [];
  for (const path of listFiles(root)) {
    const c = CT_NAME.exec(path);
    const f = FLOW_NAME.exec(path);
    const raw = c || f ? readFileSync(join(root, path)) : undefined;
    if (raw) {
      // gzip header: magic, deflate, no flags, mtime 0 (deterministic output).
      expect([...raw.subarray(0, 8)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]);
    }
    if (c) {
      expect(c[6]).toBe(c[1]);
      expect(c[7]).toBe(c[2]);
      const body = JSON.parse(gunzipSync(raw!).toString('utf8'));
      expect(Object.keys(body)).toEqual(['Records']);
      expect(Array.isArray(body.Records) && body.Records.length > 0).toBe(true);
      ct.push({ path, account: c[1], region: c[2], folderDay: `${c[3]}-${c[4]}-${c[5]}`, stamp: stampOf(c, 8), records: body.Records });
      expect(`${c[8]}-${c[9]}-${c[10]}`).toBe(`${c[3]}-${c[4]}-${c[5]}`);
    } else if (f) {
      expect(f[6]).toBe(f[1]);
      expect(f[7]).toBe(f[2]);
      expect(`${f[8]}-${f[9]}-${f[10]}`).toBe(`${f[3]}-${f[4]}-${f[5]}`);
      const text = gunzipSync(raw!).toString('utf8');
      expect(text.endsWith('\n')).toBe(true);
      const lines = text.slice(0, -1).split('\n');
      const header = lines[0].split(' ');
      const rows = lines.slice(1).map((l) => {
        const v = l.split(' ');
        if (v.length !== header.length) throw new Error(`${path}: ${v.length} fields, header has ${header.length}: ${l}`);
        const row: Record<string, string> = {};
        for (let i = 0; i < header.length; i++) row[header[i]] = v[i];
        return row;
      });
      expect(rows.length).toBeGreaterThan(0);
      flow.push({ path, account: f[1], region: f[2], stamp: stampOf(f, 8), header, rows });
    } else other.push(path);
  }
  return { ct, flow, other };
}

let root: string;
let dirA: string;
let dirB: string;
let dirC: string;
let sumA: SampleSummary;
let sumB: SampleSummary;
let sumC: SampleSummary;
let lake: ReturnType<typeof readLake>;

beforeAll(async () => {
  // Thousands of small files: use memory-backed /dev/shm where there is one (much faster than a disk).
  root = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'casebook-sample-'));
  dirA = join(root, 'a');
  dirB = join(root, 'b');
  dirC = join(root, 'c');
  sumA = await generateSampleLake({ ...BASE, out: dirA, workers: 1 });
  const notes: string[] = [];
  sumB = await generateSampleLake({ ...BASE, out: dirB, workers: 2, onProgress: (m) => notes.push(m) });
  // The two-worker run must really use worker threads (running from TypeScript sources here).
  expect(notes.filter((m) => /not available/.test(m))).toEqual([]);
  sumC = await generateSampleLake({ ...BASE, seed: 8, out: dirC, workers: 2 });
  lake = readLake(dirA);
}, 60_000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('sample lake: determinism', () => {
  it('same options give byte-identical lakes, with 1 or 2 workers', () => {
    const a = listFiles(dirA);
    const b = listFiles(dirB);
    expect(b).toEqual(a);
    for (const p of a) expect(readFileSync(join(dirB, p)).equals(readFileSync(join(dirA, p))), p).toBe(true);
    const { out: _a, ...restA } = sumA;
    const { out: _b, ...restB } = sumB;
    expect(restB).toEqual(restA);
  });

  it('a different seed gives a different lake', () => {
    const a = listFiles(dirA);
    const c = listFiles(dirC);
    expect(c).not.toEqual(a);
    expect(sumC.cloudtrailEvents).not.toBe(sumA.cloudtrailEvents);
  });

  it('writes a marker with options and summary, and counts what it wrote', () => {
    expect(lake.other).toEqual([SAMPLE_MARKER]);
    const marker = JSON.parse(readFileSync(join(dirA, SAMPLE_MARKER), 'utf8'));
    expect(marker.status).toBe('complete');
    expect(marker.options).toMatchObject({ days: 4, scale: 0.1, seed: 7, endDate: END });
    expect(marker.summary.cloudtrailEvents).toBe(sumA.cloudtrailEvents);
    expect(sumA.startDate).toBe('2024-03-11');
    expect(sumA.endDate).toBe(END);
    expect(sumA.cloudtrailFiles).toBe(lake.ct.length);
    expect(sumA.flowFiles).toBe(lake.flow.length);
    expect(sumA.cloudtrailEvents).toBe(lake.ct.reduce((n, f) => n + f.records.length, 0));
    expect(sumA.flowRecords).toBe(lake.flow.reduce((n, f) => n + f.rows.length, 0));
    expect(sumA.bytesWritten).toBeGreaterThan(0);
  });
});

describe('sample lake: layout and record shapes', () => {
  it('uses every account and region, and the 5-minute delivery grid', () => {
    expect(new Set(lake.ct.map((f) => f.account))).toEqual(new Set(ACCOUNTS));
    expect(new Set(lake.ct.map((f) => f.region))).toEqual(new Set(REGIONS));
    expect(new Set(lake.flow.map((f) => f.account))).toEqual(new Set(ACCOUNTS));
    for (const f of [...lake.ct, ...lake.flow]) expect(f.stamp % 300).toBe(0);
  });

  it('writes CloudTrail records in the shape AWS does, delivered a few minutes after their last event', () => {
    const p = new Problems();
    const global = ['iam.amazonaws.com', 'sts.amazonaws.com', 'signin.amazonaws.com'];
    for (const f of lake.ct) {
      let latest = 0;
      for (const r of f.records) {
        const at = `${f.path} ${r.eventID}`;
        p.check(Object.keys(r)[0] === 'eventVersion', `${at}: first key`);
        p.check(['1.08', '1.09', '1.10', '1.11'].includes(r.eventVersion), `${at}: eventVersion ${r.eventVersion}`);
        p.check(EVENT_TIME.test(r.eventTime), `${at}: eventTime ${r.eventTime}`);
        p.check(UUID.test(r.eventID), `${at}: eventID`);
        p.check(r.recipientAccountId === f.account && r.awsRegion === f.region, `${at}: account/region`);
        p.check(typeof r.readOnly === 'boolean' && typeof r.managementEvent === 'boolean', `${at}: booleans`);
        p.check(typeof r.userIdentity?.type === 'string', `${at}: userIdentity.type`);
        p.check(/\.amazonaws\.com$/.test(r.eventSource), `${at}: eventSource`);
        p.check(['AwsApiCall', 'AwsConsoleSignIn'].includes(r.eventType), `${at}: eventType`);
        p.check(['Management', 'Data'].includes(r.eventCategory), `${at}: eventCategory`);
        p.check('requestParameters' in r && 'responseElements' in r, `${at}: request/response`);
        if (r.errorCode) p.check(typeof r.errorMessage === 'string', `${at}: errorMessage`);
        if (r.userIdentity.type === 'AssumedRole') {
          p.check(r.userIdentity.sessionContext?.sessionIssuer?.type === 'Role', `${at}: sessionIssuer`);
          p.check(/^arn:aws:sts::\d{12}:assumed-role\//.test(r.userIdentity.arn), `${at}: assumed-role arn`);
        }
        if (r.userIdentity.type === 'AWSService') p.check(/amazonaws\.com$/.test(r.userIdentity.invokedBy), `${at}: invokedBy`);
        if (global.includes(r.eventSource)) p.check(f.region === 'us-east-1', `${at}: global service outside us-east-1`);
        latest = Math.max(latest, Date.parse(r.eventTime) / 1000);
      }
      p.check(f.stamp > latest && f.stamp - latest <= 20 * 60, `${f.path}: delivered ${f.stamp - latest} s after its last event`);
    }
    p.assertNone();
  });

  it('has the background the queries need: roles, services, MFA sign-ins, data events, denials', () => {
    const all = lake.ct.flatMap((f) => f.records);
    const types = new Set(all.map((r) => r.userIdentity.type));
    for (const t of ['IAMUser', 'AssumedRole', 'AWSService', 'Root']) expect(types).toContain(t);
    const logins = all.filter((r) => r.eventName === 'ConsoleLogin' && r.userIdentity.type === 'IAMUser');
    expect(logins.length).toBeGreaterThan(0);
    for (const r of logins) expect(r.additionalEventData.MFAUsed).toBe('Yes');
    const data = all.filter((r) => r.eventCategory === 'Data');
    expect(data.some((r) => r.eventName === 'GetObject' && r.resources?.some((x: Rec) => x.type === 'AWS::S3::Object'))).toBe(true);
    expect(all.some((r) => r.eventName === 'RunInstances' && !r.errorCode)).toBe(true);
    const bgDenied = all.filter(
      (r) => /AccessDenied|UnauthorizedOperation/.test(r.errorCode ?? '') && r.userIdentity.userName !== 'mallory',
    );
    expect(bgDenied.length).toBeGreaterThan(0);
    const apisPerPrincipal = new Map<string, Set<string>>();
    for (const r of bgDenied) {
      const s = apisPerPrincipal.get(r.userIdentity.arn) ?? new Set();
      s.add(r.eventName);
      apisPerPrincipal.set(r.userIdentity.arn, s);
    }
    for (const s of apisPerPrincipal.values()) expect(s.size).toBeLessThanOrEqual(2);
  });

  it('puts some events of day D in a file dated D+1', () => {
    const late = lake.ct.flatMap((f) => f.records.filter((r) => r.eventTime.slice(0, 10) < f.folderDay));
    expect(late.length).toBeGreaterThan(0);
    // ... and the last day's late events go to the folder after endDate, as AWS would deliver them.
    expect(lake.ct.some((f) => f.folderDay === '2024-03-15')).toBe(true);
  });

  it('writes flow logs with a header, v2 by default and a custom v5 order in the prod account', () => {
    const p = new Problems();
    const dash = ['srcaddr', 'dstaddr', 'srcport', 'dstport', 'protocol', 'packets', 'bytes', 'action'];
    for (const f of lake.flow) {
      const v5 = f.account === '111122223333';
      expect(f.header).toEqual(v5 ? [...V5_FIELDS] : [...V2_FIELDS]);
      for (const r of f.rows) {
        const at = `${f.path}: ${Object.values(r).join(' ')}`;
        p.check(r['account-id'] === f.account, `${at}: account-id`);
        p.check(/^eni-[0-9a-f]{17}$/.test(r['interface-id']), `${at}: interface-id`);
        p.check(['OK', 'NODATA', 'SKIPDATA'].includes(r['log-status']), `${at}: log-status`);
        const end = Number(r.end);
        p.check(end >= f.stamp && end < f.stamp + 300, `${at}: end outside the file's 5 minutes`);
        p.check(Number(r.start) <= end, `${at}: start after end`);
        if (r['log-status'] === 'OK') {
          p.check(['ACCEPT', 'REJECT'].includes(r.action), `${at}: action`);
          p.check(/^[0-9a-f.:]+$/.test(r.srcaddr) && /^[0-9a-f.:]+$/.test(r.dstaddr), `${at}: addresses`);
          p.check(Number(r.bytes) > 0 && Number(r.packets) > 0, `${at}: bytes/packets`);
          p.check(['1', '6', '17'].includes(r.protocol), `${at}: protocol`);
        } else
          p.check(
            dash.every((k) => r[k] === '-'),
            `${at}: ${r['log-status']} fields`,
          );
        if (v5) {
          p.check(r.version === '5', `${at}: version`);
          p.check(/^vpc-[0-9a-f]{17}$/.test(r['vpc-id']) && /^subnet-[0-9a-f]{17}$/.test(r['subnet-id']), `${at}: vpc/subnet`);
          p.check(/^(i-[0-9a-f]{17}|-)$/.test(r['instance-id']), `${at}: instance-id`);
          p.check(r.region === f.region && /^(use1|euw1|apse2)-az\d$/.test(r['az-id']), `${at}: region/az-id`);
          p.check(['ingress', 'egress', '-'].includes(r['flow-direction']), `${at}: flow-direction`);
          p.check(r['flow-direction'] === 'egress' ? /^[1-8]$/.test(r['traffic-path']) : r['traffic-path'] === '-', `${at}: traffic-path`);
          if (r['log-status'] === 'OK') p.check(r.type === (r.srcaddr.includes(':') ? 'IPv6' : 'IPv4'), `${at}: type`);
        } else p.check(r.version === '2', `${at}: version`);
      }
    }
    p.assertNone();
    const rows = lake.flow.flatMap((f) => f.rows);
    expect(rows.some((r) => r['log-status'] === 'NODATA')).toBe(true);
    expect(rows.some((r) => r.srcaddr?.includes(':'))).toBe(true);
    expect(rows.some((r) => r['pkt-dst-aws-service'] === 'S3')).toBe(true);
    expect(rows.some((r) => r['pkt-dst-aws-service'] === 'DYNAMODB')).toBe(true);
    expect(rows.some((r) => r.action === 'REJECT' && !r.srcaddr.startsWith('10.'))).toBe(true);
    // Lines are not sorted by time within a file.
    expect(lake.flow.some((f) => f.rows.some((r, i) => i > 0 && Number(r.end) < Number(f.rows[i - 1].end)))).toBe(true);
  });
});

describe('sample lake: planted incidents', () => {
  const MALLORY = 'arn:aws:iam::111122223333:user/mallory';
  const ct = (): Rec[] => lake.ct.flatMap((f) => f.records);
  const mallory = (): Rec[] => ct().filter((r) => r.userIdentity.arn === MALLORY);
  const flows = (): Record<string, string>[] =>
    lake.flow.filter((f) => f.account === '111122223333' && f.region === 'us-east-1').flatMap((f) => f.rows);

  it('lists every incident with the queries that find it, on endDate - 3', () => {
    expect(sumA.incidents.map((i) => i.query)).toEqual([
      'who-deleted',
      'trail-tampering',
      'flow-logs-deleted',
      'access-denied',
      'recon-denied-apis',
      'iam-users-created',
      'access-keys-created',
      'admin-policy-attached',
      'console-login-without-mfa',
      'root-account-activity',
      'security-group-opened-to-world',
      'port-scans',
      'admin-port-traffic',
      'top-talkers',
      'large-transfers',
    ]);
    expect(new Set(Object.values(INCIDENT_QUERIES))).toEqual(new Set(sumA.incidents.map((i) => i.query)));
    for (const i of sumA.incidents) expect(i.day).toBe(INCIDENT_DAY);
    expect(new Set(sumA.incidents.map((i) => i.id)).size).toBe(sumA.incidents.length);
    // Each query id names a query of the pack.
    const ids = new Set(
      listFiles(join(process.cwd(), 'queries'))
        .filter((p) => p.endsWith('.yaml'))
        .map((p) => p.replace(/^.*\//, '').replace(/\.yaml$/, '')),
    );
    for (const i of sumA.incidents) expect(ids, i.query).toContain(i.query);
  });

  it('mallory acts only on the incident day, in 111122223333 us-east-1, from 203.0.113.66', () => {
    const m = mallory();
    expect(m.length).toBe(48);
    for (const r of m) {
      expect(r.eventTime.slice(0, 10)).toBe(INCIDENT_DAY);
      expect(r.recipientAccountId).toBe('111122223333');
      expect(r.awsRegion).toBe('us-east-1');
      expect(r.sourceIPAddress).toBe('203.0.113.66');
      expect(r.userAgent).toBe('aws-cli/2.15.0 Python/3.11.6 Linux/5.15 exe/x86_64');
      expect(r.userIdentity).toMatchObject({
        type: 'IAMUser',
        userName: 'mallory',
        accessKeyId: 'AKIAMALLORYEXAMPLE01',
        accountId: '111122223333',
      });
    }
    // No other record mentions the incident principals or addresses.
    const marks = ['mallory', '203.0.113.66', '198.51.100.23', 'svc-backup2'];
    const others = ct().filter((r) => r.userIdentity.arn !== MALLORY && r.userIdentity.type !== 'Root');
    const leaks = others.map((r) => JSON.stringify(r)).filter((s) => marks.some((m) => s.includes(m)));
    expect(leaks).toEqual([]);
  });

  it('who-deleted: DeleteBucket of the audit bucket and a failed TerminateInstances', () => {
    const del = mallory().filter((r) => r.eventName === 'DeleteBucket');
    expect(del).toHaveLength(1);
    expect(del[0].errorCode).toBeUndefined();
    expect(del[0].requestParameters).toEqual({
      bucketName: 'casebook-prod-audit-logs',
      Host: 'casebook-prod-audit-logs.s3.us-east-1.amazonaws.com',
    });
    expect(del[0].resources).toEqual([
      { accountId: '111122223333', type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::casebook-prod-audit-logs' },
    ]);
    const term = mallory().filter((r) => r.eventName === 'TerminateInstances');
    expect(term).toHaveLength(1);
    expect(term[0].errorCode).toBe('Client.UnauthorizedOperation');
    expect(term[0].requestParameters.instancesSet.items[0].instanceId).toBe('i-0a1b2c3d4e5f60718');
    expect(ct().filter((r) => r.eventName === 'DeleteBucket')).toHaveLength(1);
  });

  it('trail-tampering: StopLogging then DeleteFlowLogs', () => {
    const stop = mallory().filter((r) => r.eventName === 'StopLogging');
    expect(stop).toHaveLength(1);
    expect(stop[0].requestParameters).toEqual({ name: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events' });
    const fl = mallory().filter((r) => r.eventName === 'DeleteFlowLogs');
    expect(fl).toHaveLength(1);
    expect(fl[0].requestParameters).toEqual({ DeleteFlowLogsRequest: { FlowLogId: { content: 'fl-0123456789abcdef0', tag: 1 } } });
    expect(stop[0].eventTime < fl[0].eventTime).toBe(true);
    expect(ct().filter((r) => ['StopLogging', 'DeleteTrail', 'DeleteFlowLogs'].includes(r.eventName))).toHaveLength(2);
  });

  it('access-denied: 40 denied reconnaissance calls over at least 15 APIs and services', () => {
    const denied = mallory().filter((r) => r.errorCode && r.eventName !== 'TerminateInstances');
    expect(denied).toHaveLength(40);
    expect(new Set(denied.map((r) => r.eventName)).size).toBeGreaterThanOrEqual(15);
    expect(new Set(denied.map((r) => r.eventSource)).size).toBeGreaterThanOrEqual(15);
    expect(new Set(denied.map((r) => r.errorCode))).toEqual(
      new Set(['AccessDenied', 'AccessDeniedException', 'Client.UnauthorizedOperation', 'UnauthorizedOperation']),
    );
    for (const r of denied) expect(r.errorMessage.length).toBeGreaterThan(10);
  });

  it('IAM persistence: svc-backup2 with an access key and AdministratorAccess', () => {
    const m = mallory();
    expect(m.find((r) => r.eventName === 'CreateUser')?.requestParameters).toEqual({ userName: 'svc-backup2' });
    expect(m.find((r) => r.eventName === 'CreateAccessKey')?.requestParameters).toEqual({ userName: 'svc-backup2' });
    expect(m.find((r) => r.eventName === 'AttachUserPolicy')?.requestParameters).toEqual({
      userName: 'svc-backup2',
      policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
    });
  });

  it('root console sign-in without MFA after three failures, from 198.51.100.23', () => {
    const root = ct().filter((r) => r.userIdentity.type === 'Root');
    expect(root).toHaveLength(4);
    root.sort((a, b) => a.eventTime.localeCompare(b.eventTime));
    for (const r of root) {
      expect(r).toMatchObject({
        eventSource: 'signin.amazonaws.com',
        eventName: 'ConsoleLogin',
        eventType: 'AwsConsoleSignIn',
        sourceIPAddress: '198.51.100.23',
        recipientAccountId: '444455556666',
      });
      expect(r.additionalEventData).toMatchObject({ MFAUsed: 'No', MobileVersion: 'No' });
      expect(r.eventTime.slice(0, 10)).toBe(INCIDENT_DAY);
    }
    expect(root.map((r) => r.responseElements.ConsoleLogin)).toEqual(['Failure', 'Failure', 'Failure', 'Success']);
    expect(root.slice(0, 3).every((r) => r.errorMessage === 'Failed authentication')).toBe(true);
  });

  it('security group opened on TCP 22 to 0.0.0.0/0', () => {
    const sg = mallory().filter((r) => r.eventName === 'AuthorizeSecurityGroupIngress');
    expect(sg).toHaveLength(1);
    expect(sg[0].requestParameters).toMatchObject({
      groupId: 'sg-0badc0ffee0000001',
      ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } }] },
    });
    const open = ct().filter(
      (r) => r.eventName === 'AuthorizeSecurityGroupIngress' && JSON.stringify(r.requestParameters).includes('0.0.0.0/0'),
    );
    expect(open).toHaveLength(1);
  });

  it('port scan: 300 distinct ports from 198.51.100.77, all rejected', () => {
    const scan = flows().filter((r) => r.srcaddr === '198.51.100.77');
    expect(scan).toHaveLength(300);
    expect(new Set(scan.map((r) => r.dstport)).size).toBe(300);
    for (const r of scan) expect(r).toMatchObject({ dstaddr: '10.0.1.25', action: 'REJECT', 'interface-id': 'eni-0c0ffee0000000001' });
  });

  it('SSH brute force: 500 rejected flows to port 22, then accepted RDP from the same address', () => {
    const from = flows().filter((r) => r.srcaddr === '192.0.2.45');
    const ssh = from.filter((r) => r.dstport === '22');
    expect(ssh).toHaveLength(500);
    expect(ssh.every((r) => r.action === 'REJECT' && r.dstaddr === '10.0.1.25')).toBe(true);
    const rdp = from.filter((r) => r.dstport === '3389' && r.action === 'ACCEPT');
    expect(rdp.length).toBeGreaterThan(0);
  });

  it('exfiltration: 10.0.2.15 -> 203.0.113.200 is by far the top talker of its day', () => {
    const pairs = new Map<string, number>();
    for (const f of lake.flow) {
      for (const r of f.rows) {
        if (r.bytes === '-') continue;
        const day = new Date(Number(r.end) * 1000).toISOString().slice(0, 10);
        if (day !== INCIDENT_DAY) continue;
        const k = `${r.srcaddr} ${r.dstaddr}`;
        pairs.set(k, (pairs.get(k) ?? 0) + Number(r.bytes));
      }
    }
    const ranked = [...pairs].sort((a, b) => b[1] - a[1]);
    expect(ranked[0][0]).toBe('10.0.2.15 203.0.113.200');
    expect(ranked[0][1]).toBe(48_000_000_000);
    const background = ranked.filter(([k]) => !k.includes('203.0.113.200'));
    expect(background[0][1] * 20).toBeLessThan(ranked[0][1]);
  });

  it('the incident hosts and addresses appear only on the incident day', () => {
    const marks = new Set(['198.51.100.77', '192.0.2.45', '203.0.113.200', '10.0.1.25', '10.0.2.15']);
    const p = new Problems();
    let seen = 0;
    for (const f of lake.flow) {
      for (const r of f.rows) {
        if (marks.has(r.srcaddr) || marks.has(r.dstaddr)) {
          seen++;
          p.check(
            new Date(Number(r.end) * 1000).toISOString().slice(0, 10) === INCIDENT_DAY && f.account === '111122223333',
            `${f.path}: ${Object.values(r).join(' ')}`,
          );
        }
      }
    }
    expect(seen).toBeGreaterThan(800);
    p.assertNone();
  });
});

describe('sample lake: volume and options', () => {
  it('scales volume linearly', async () => {
    const opts = { days: 1, seed: 3, endDate: '2024-01-10', workers: 2 };
    const small = await generateSampleLake({ ...opts, scale: 0.2, out: join(root, 's1') });
    const big = await generateSampleLake({ ...opts, scale: 0.4, out: join(root, 's2') });
    expect(small.incidents).toEqual([]);
    // ~3,000 CloudTrail events and ~6,000 flow records per day at scale 1.
    expect(small.cloudtrailEvents).toBeGreaterThan(0.85 * 3000 * 0.2);
    expect(small.cloudtrailEvents).toBeLessThan(1.15 * 3000 * 0.2);
    expect(small.flowRecords).toBeGreaterThan(0.85 * 6000 * 0.2);
    expect(small.flowRecords).toBeLessThan(1.15 * 6000 * 0.2);
    expect(big.cloudtrailEvents / small.cloudtrailEvents).toBeGreaterThan(1.85);
    expect(big.cloudtrailEvents / small.cloudtrailEvents).toBeLessThan(2.15);
    expect(big.flowRecords / small.flowRecords).toBeGreaterThan(1.85);
    expect(big.flowRecords / small.flowRecords).toBeLessThan(2.15);
  }, 30_000);

  it('refuses a non-empty directory that is not a sample lake, and replaces an old sample lake', async () => {
    const foreign = join(root, 'foreign');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'notes.txt'), 'keep me');
    await expect(generateSampleLake({ out: foreign, days: 1, scale: 0.05, endDate: END })).rejects.toThrow(
      /not empty and does not look like a casebook sample lake/,
    );
    expect(readFileSync(join(foreign, 'notes.txt'), 'utf8')).toBe('keep me');

    const realCopy = join(root, 'real-copy');
    mkdirSync(join(realCopy, 'AWSLogs'), { recursive: true });
    await expect(generateSampleLake({ out: realCopy, days: 1, scale: 0.05, endDate: END })).rejects.toThrow(/no casebook-sample\.json/);

    const again = join(root, 'again');
    await generateSampleLake({ out: again, days: 1, scale: 0.05, endDate: '2024-01-01', workers: 1 });
    await generateSampleLake({ out: again, days: 1, scale: 0.05, endDate: '2024-02-01', workers: 1 });
    expect(existsSync(join(again, 'AWSLogs', '111122223333', 'CloudTrail', 'us-east-1', '2024', '01'))).toBe(false);
    expect(existsSync(join(again, 'AWSLogs', '111122223333', 'CloudTrail', 'us-east-1', '2024', '02'))).toBe(true);
  });

  it('rejects invalid options with a clear message', async () => {
    const out = join(root, 'invalid');
    await expect(generateSampleLake({ out, endDate: '2024-02-30' })).rejects.toThrow(/endDate/);
    await expect(generateSampleLake({ out, days: 0 })).rejects.toThrow(/days/);
    await expect(generateSampleLake({ out, scale: -1 })).rejects.toThrow(/scale/);
    await expect(generateSampleLake({ out, workers: 0 })).rejects.toThrow(/workers/);
  });
});
