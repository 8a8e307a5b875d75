/** Shared fixtures of the report tests: a small lake written record by record, and a report over it. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeRecordsLake } from '../src/lake/records-lake.js';

export const FIXTURE_PERIOD = '2024-03-01..2024-03-04';

const mallory = {
  type: 'IAMUser',
  principalId: 'AIDAMALLORYEXAMPLE',
  arn: 'arn:aws:iam::111122223333:user/mallory',
  accountId: '111122223333',
  accessKeyId: 'AKIAMALLORYEXAMPLE01',
  userName: 'mallory',
};
const bob = {
  type: 'IAMUser',
  principalId: 'AIDABOBEXAMPLE',
  arn: 'arn:aws:iam::111122223333:user/bob',
  accountId: '111122223333',
  accessKeyId: 'AKIABOBEXAMPLE000001',
  userName: 'bob',
};

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

/** CloudTrail: 150 trail changes over three days (more than a page shows), one StopLogging, denied calls by two users. */
export function fixtureCloudTrail(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < 150; i++) {
    const day = 1 + (i % 3);
    out.push({
      eventVersion: '1.09',
      userIdentity: bob,
      eventTime: `2024-03-0${day}T${pad(8 + (i % 10), 2)}:${pad(i % 60, 2)}:00Z`,
      eventSource: 'cloudtrail.amazonaws.com',
      eventName: 'UpdateTrail',
      awsRegion: 'us-east-1',
      sourceIPAddress: '198.51.100.7',
      userAgent: 'aws-cli/2.15.0',
      requestParameters: { name: `trail-${pad(i, 3)}` },
      responseElements: null,
      eventID: `e0000000-0000-4000-8000-${pad(i, 12)}`,
      readOnly: false,
      eventType: 'AwsApiCall',
      recipientAccountId: '111122223333',
    });
  }
  out.push({
    eventVersion: '1.09',
    userIdentity: mallory,
    eventTime: '2024-03-02T10:00:00Z',
    eventSource: 'cloudtrail.amazonaws.com',
    eventName: 'StopLogging',
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.66',
    userAgent: 'aws-cli/2.15.0',
    requestParameters: { name: 'management-events' },
    responseElements: null,
    eventID: 'f0000000-0000-4000-8000-000000000001',
    readOnly: false,
    eventType: 'AwsApiCall',
    recipientAccountId: '111122223333',
  });
  const denied = ['ListUsers', 'GetAccountAuthorizationDetails', 'ListRoles', 'DescribeInstances', 'ListBuckets'];
  denied.forEach((name, i) => {
    out.push({
      eventVersion: '1.09',
      userIdentity: mallory,
      eventTime: `2024-03-02T11:0${i}:00Z`,
      eventSource: i < 3 ? 'iam.amazonaws.com' : 'ec2.amazonaws.com',
      eventName: name,
      awsRegion: 'us-east-1',
      sourceIPAddress: '203.0.113.66',
      userAgent: 'aws-cli/2.15.0',
      errorCode: 'AccessDenied',
      errorMessage: 'not authorized',
      requestParameters: null,
      responseElements: null,
      eventID: `d0000000-0000-4000-8000-00000000000${i}`,
      readOnly: true,
      eventType: 'AwsApiCall',
      recipientAccountId: '111122223333',
    });
  });
  out.push({
    eventVersion: '1.09',
    userIdentity: bob,
    eventTime: '2024-03-03T09:00:00Z',
    eventSource: 's3.amazonaws.com',
    eventName: 'GetBucketPolicy',
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.7',
    userAgent: 'aws-cli/2.15.0',
    errorCode: 'AccessDenied',
    errorMessage: 'not authorized',
    requestParameters: null,
    responseElements: null,
    eventID: 'd0000000-0000-4000-8000-000000000099',
    readOnly: true,
    eventType: 'AwsApiCall',
    recipientAccountId: '111122223333',
  });
  return out;
}

/** Flow logs: an exfiltration-sized pair and some ordinary traffic. */
export function fixtureFlows(): Record<string, string | number>[] {
  const base = {
    version: 2,
    'account-id': '111122223333',
    'interface-id': 'eni-0c0ffee0000000002',
    protocol: 6,
    action: 'ACCEPT',
    'log-status': 'OK',
  };
  const start = Date.parse('2024-03-02T12:00:00Z') / 1000;
  const rows: Record<string, string | number>[] = [
    {
      ...base,
      srcaddr: '10.0.2.15',
      dstaddr: '203.0.113.200',
      srcport: 50100,
      dstport: 443,
      packets: 3500000,
      bytes: 5000000000,
      start,
      end: start + 600,
    },
    {
      ...base,
      srcaddr: '203.0.113.200',
      dstaddr: '10.0.2.15',
      srcport: 443,
      dstport: 50100,
      packets: 900000,
      bytes: 36000000,
      start,
      end: start + 600,
    },
  ];
  for (let i = 0; i < 12; i++) {
    rows.push({
      ...base,
      srcaddr: `10.0.1.${10 + i}`,
      dstaddr: '10.0.2.15',
      srcport: 40000 + i,
      dstport: 5432,
      packets: 10 + i,
      bytes: 1000 * (i + 1),
      start: start + i * 60,
      end: start + i * 60 + 59,
    });
  }
  return rows;
}

export function writeFixtureLake(dir: string): void {
  writeRecordsLake(dir, { cloudtrail: fixtureCloudTrail(), vpc_flow_logs: fixtureFlows() });
}

export const FIXTURE_REPORT = `title: Fixture evidence report
description: >-
  Trail changes, denied calls and top talkers over a small lake written by the test.
controls: ["CIS AWS Foundations 4.5", "SOC 2 CC7.2"]
limitations: A fixture; it proves the machinery, not a control.
sections:
  - query: trail-tampering
    review: Every row is a change to audit logging; each needs a change ticket.
    params: { include_failed: true, limit: 1000 }
    chart: { type: per-day, time: eventtime, series: eventname, title: Trail changes per day }
  - query: access-denied
    title: Denied calls
    review: A principal denied many different actions is probing.
    chart: { type: bar, label: principal, value: denied_calls }
  - query: top-talkers
    review: The largest pair to an internet address is the one to explain.
    params: { limit: 10 }
    chart: { type: bar, label: [srcaddr, dstaddr], value: bytes, top: 5 }
`;

/** Write the fixture report definition; returns its path. */
export function writeFixtureReport(dir: string, text = FIXTURE_REPORT, name = 'fixture-report'): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, text);
  return file;
}
