/**
 * The fixed cast of the sample lake: accounts, regions, networks, principals
 * and the values of the planted incidents. Nothing here depends on the seed;
 * the seed only drives what these actors do.
 */
import { Rng, stableId } from './random.js';

export const ACCOUNTS = [
  { id: '111122223333', name: 'prod', flowFormat: 'v5' },
  { id: '444455556666', name: 'dev', flowFormat: 'v2' },
  { id: '777788889999', name: 'shared', flowFormat: 'v2' },
] as const;

export type AccountName = (typeof ACCOUNTS)[number]['name'];
export type AccountDef = (typeof ACCOUNTS)[number];

export const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'] as const;
export type Region = (typeof REGIONS)[number];

/** IAM, STS and sign-in events are recorded in us-east-1. */
export const GLOBAL_REGION: Region = 'us-east-1';

/** At scale 1, the whole lake holds about this many records per day. */
export const CLOUDTRAIL_EVENTS_PER_DAY = 3000;
export const FLOW_RECORDS_PER_DAY = 6000;

/** Share of the daily volume for each account and region (each table sums to 1). */
export const CLOUDTRAIL_SHARE: Record<AccountName, Record<Region, number>> = {
  prod: { 'us-east-1': 0.3, 'eu-west-1': 0.11, 'ap-southeast-2': 0.05 },
  dev: { 'us-east-1': 0.17, 'eu-west-1': 0.06, 'ap-southeast-2': 0.03 },
  shared: { 'us-east-1': 0.17, 'eu-west-1': 0.07, 'ap-southeast-2': 0.04 },
};
export const FLOW_SHARE: Record<AccountName, Record<Region, number>> = {
  prod: { 'us-east-1': 0.3, 'eu-west-1': 0.12, 'ap-southeast-2': 0.06 },
  dev: { 'us-east-1': 0.14, 'eu-west-1': 0.06, 'ap-southeast-2': 0.03 },
  shared: { 'us-east-1': 0.17, 'eu-west-1': 0.08, 'ap-southeast-2': 0.04 },
};

// ---------------------------------------------------------------------------
// Planted incident values. Queries and their tests rely on these exact values.
// ---------------------------------------------------------------------------
export const PROD_ACCOUNT = '111122223333';
export const DEV_ACCOUNT = '444455556666';
export const SHARED_ACCOUNT = '777788889999';
export const INCIDENT_REGION: Region = 'us-east-1';
/** Incidents happen on endDate minus this many days. */
export const INCIDENT_DAY_OFFSET = 3;

export const MALLORY = {
  userName: 'mallory',
  arn: 'arn:aws:iam::111122223333:user/mallory',
  principalId: 'AIDAMALLORY7EXAMPLE1',
  accessKeyId: 'AKIAMALLORYEXAMPLE01',
  sourceIPAddress: '203.0.113.66',
  userAgent: 'aws-cli/2.15.0 Python/3.11.6 Linux/5.15 exe/x86_64',
} as const;

export const INCIDENT = {
  deletedBucket: 'casebook-prod-audit-logs',
  terminateInstanceId: 'i-0a1b2c3d4e5f60718',
  trailArn: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events',
  deletedFlowLogId: 'fl-0123456789abcdef0',
  backdoorUser: 'svc-backup2',
  adminPolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
  openedSecurityGroup: 'sg-0badc0ffee0000001',
  rootLoginIp: '198.51.100.23',
  scannerIp: '198.51.100.77',
  bruteForceIp: '192.0.2.45',
  targetHost: '10.0.1.25',
  targetEni: 'eni-0c0ffee0000000001',
  targetInstance: 'i-0c0ffee0000000025',
  exfilHost: '10.0.2.15',
  exfilEni: 'eni-0e0f1a2b3c4d5e6f8',
  exfilInstance: 'i-0e0f1a2b3c4d5e6f7',
  exfilDest: '203.0.113.200',
  /** Bytes exfiltrated over the incident day at scale 1 (multiplied by max(1, scale)). */
  exfilBytesAtScale1: 48_000_000_000,
} as const;

/** Addresses the background must never use. */
export const RESERVED_HOSTS = new Set<string>([INCIDENT.targetHost, INCIDENT.exfilHost]);

// ---------------------------------------------------------------------------
// Networks
// ---------------------------------------------------------------------------
export const AZS: Record<Region, ReadonlyArray<{ name: string; id: string }>> = {
  'us-east-1': [
    { name: 'us-east-1a', id: 'use1-az1' },
    { name: 'us-east-1b', id: 'use1-az2' },
    { name: 'us-east-1c', id: 'use1-az4' },
  ],
  'eu-west-1': [
    { name: 'eu-west-1a', id: 'euw1-az1' },
    { name: 'eu-west-1b', id: 'euw1-az2' },
    { name: 'eu-west-1c', id: 'euw1-az3' },
  ],
  'ap-southeast-2': [
    { name: 'ap-southeast-2a', id: 'apse2-az1' },
    { name: 'ap-southeast-2b', id: 'apse2-az3' },
    { name: 'ap-southeast-2c', id: 'apse2-az2' },
  ],
};

const VPC_SECOND_OCTET: Record<AccountName, Record<Region, number>> = {
  prod: { 'us-east-1': 0, 'eu-west-1': 1, 'ap-southeast-2': 2 },
  dev: { 'us-east-1': 20, 'eu-west-1': 21, 'ap-southeast-2': 22 },
  shared: { 'us-east-1': 40, 'eu-west-1': 41, 'ap-southeast-2': 42 },
};

const IPV6_PREFIX: Record<Region, string> = {
  'us-east-1': '2600:1f18',
  'eu-west-1': '2a05:d018',
  'ap-southeast-2': '2406:da1c',
};

/** Public ranges AWS services answer from, per region (S3 and DynamoDB). */
export const SERVICE_RANGES: Record<Region, { s3: string[]; dynamodb: string[]; amazon: string[] }> = {
  'us-east-1': { s3: ['52.216', '52.217', '3.5'], dynamodb: ['3.218.182', '52.94.0', '52.94.4'], amazon: ['54.239.28', '52.46.128'] },
  'eu-west-1': { s3: ['52.218', '3.5.72'], dynamodb: ['52.94.26', '52.119.240'], amazon: ['54.239.34', '52.95.120'] },
  'ap-southeast-2': { s3: ['52.95.128', '3.5.164'], dynamodb: ['52.94.12', '52.119.160'], amazon: ['54.240.193', '52.95.36'] },
};

/** First octets used for ordinary internet hosts (none of them test, private or reserved ranges). */
const PUBLIC_FIRST_OCTETS = [
  13, 17, 18, 20, 23, 31, 34, 35, 37, 40, 45, 51, 62, 64, 66, 69, 74, 77, 80, 82, 85, 89, 91, 94, 104, 107, 109, 119, 121, 128, 130, 134,
  137, 139, 141, 142, 146, 148, 151, 152, 157, 159, 162, 164, 167, 176, 178, 185, 188, 193, 194, 195, 212, 213, 217,
];

export function randomPublicIp(rng: Rng): string {
  return `${rng.pick(PUBLIC_FIRST_OCTETS)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
}

export function randomPublicIpv6(rng: Rng): string {
  const prefix = rng.pick(['2606:4700', '2a00:1450', '2620:1ec', '2a03:2880', '2001:4860']);
  return `${prefix}:${rng.hex(4).replace(/^0+(?=.)/, '')}::${rng.hex(3).replace(/^0+(?=.)/, '')}`;
}

export type HostRole = 'web' | 'app' | 'worker' | 'db' | 'cache' | 'nat' | 'elb' | 'bastion' | 'idle' | 'backup';

export interface Host {
  eni: string;
  ip: string;
  ipv6?: string;
  instanceId: string;
  role: HostRole;
  subnetId: string;
  azId: string;
}

export type Profile =
  | 'admin'
  | 'developer'
  | 'readonly'
  | 'ci'
  | 'terraform'
  | 'app'
  | 'lambda'
  | 'monitor'
  | 'config'
  | 'autoscaling'
  | 'backup'
  | 'service';

export interface Actor {
  key: string;
  profile: Profile;
  /** Relative activity. */
  weight: number;
  kind: 'user' | 'role' | 'service' | 'account';
  userName?: string;
  roleName?: string;
  rolePath?: string;
  sessionNames?: string[];
  /** AWS service principal (AWSService identities and service-linked roles). */
  service?: string;
  /** For kind 'account': the external account that assumes our role. */
  externalAccount?: string;
  ips: string[];
  /** How the actor calls AWS: decides the user agent. */
  client: 'human' | 'cli' | 'terraform' | 'boto3' | 'java' | 'go' | 'service' | 'datadog';
  /** Signs in to the console (IAM users with MFA). */
  console?: boolean;
  principalId: string;
  accessKeyId?: string;
  instanceSessions?: boolean;
}

export interface RegionWorld {
  account: AccountDef;
  region: Region;
  azs: ReadonlyArray<{ name: string; id: string }>;
  vpcId: string;
  vpcCidr: string;
  netPrefix: string;
  subnets: { id: string; third: number; az: number; kind: 'public' | 'app' | 'data' }[];
  hosts: Host[];
  instances: string[];
  securityGroups: string[];
  amis: string[];
  volumes: string[];
  buckets: string[];
  functions: string[];
  dbInstances: string[];
  kmsKeys: string[];
  parameters: string[];
  secrets: string[];
  logGroups: string[];
  tables: string[];
  loadBalancers: string[];
  natIps: string[];
  actors: Actor[];
  flowLogId: string;
  trailBucket: string;
}

const BUCKETS: Record<AccountName, Record<Region, string[]>> = {
  prod: {
    'us-east-1': ['casebook-prod-audit-logs', 'acme-prod-app-data', 'acme-prod-static-assets', 'acme-prod-artifacts'],
    'eu-west-1': ['acme-prod-app-data-eu', 'acme-prod-reports-eu'],
    'ap-southeast-2': ['acme-prod-app-data-apac'],
  },
  dev: {
    'us-east-1': ['acme-dev-scratch', 'acme-dev-artifacts'],
    'eu-west-1': ['acme-dev-test-fixtures'],
    'ap-southeast-2': ['acme-dev-sandbox-apac'],
  },
  shared: {
    'us-east-1': ['acme-shared-terraform-state', 'acme-shared-backups', 'acme-shared-ci-cache'],
    'eu-west-1': ['acme-shared-backups-eu'],
    'ap-southeast-2': ['acme-shared-backups-apac'],
  },
};

const SSO_ADMIN_SUFFIX = '6f1e2d3c4b5a6978';
const SSO_READONLY_SUFFIX = '0a9b8c7d6e5f4a3b';
const DATADOG_ACCOUNT = '464622532012';

function principalId(prefix: 'AIDA' | 'AROA', key: string): string {
  return prefix + stableId(`pid|${key}`, 17, 'upper');
}

function accountActors(account: AccountDef, natIps: string[]): Actor[] {
  const a = account.id;
  const human = (userName: string, profile: Profile, weight: number, ips: string[]): Actor => ({
    key: `user/${userName}`,
    profile,
    weight,
    kind: 'user',
    userName,
    ips,
    client: 'human',
    console: true,
    principalId: principalId('AIDA', `${a}/${userName}`),
    accessKeyId: 'AKIA' + stableId(`ak|${a}/${userName}`, 16, 'upper'),
  });
  const role = (roleName: string, profile: Profile, weight: number, extra: Partial<Actor>): Actor => ({
    key: `role/${roleName}`,
    profile,
    weight,
    kind: 'role',
    roleName,
    ips: natIps,
    client: 'boto3',
    principalId: principalId('AROA', `${a}/${roleName}`),
    ...extra,
  });
  const ciUser: Actor = {
    key: 'user/ci-deploy',
    profile: 'ci',
    weight: 6,
    kind: 'user',
    userName: 'ci-deploy',
    ips: ['34.201.18.77', '34.201.18.78'],
    client: 'cli',
    principalId: principalId('AIDA', `${a}/ci-deploy`),
    accessKeyId: 'AKIA' + stableId(`ak|${a}/ci-deploy`, 16, 'upper'),
  };
  const common: Actor[] = [
    ciUser,
    role(`AWSReservedSSO_AdministratorAccess_${SSO_ADMIN_SUFFIX}`, 'admin', 6, {
      rolePath: `/aws-reserved/sso.amazonaws.com/`,
      sessionNames: ['oscar@example.com', 'nadia@example.com'],
      ips: ['86.24.17.90', '86.24.17.91', '73.158.44.201'],
      client: 'human',
    }),
    role(`AWSReservedSSO_ReadOnlyAccess_${SSO_READONLY_SUFFIX}`, 'readonly', 4, {
      rolePath: `/aws-reserved/sso.amazonaws.com/`,
      sessionNames: ['priya@example.com', 'tom@example.com'],
      ips: ['86.24.17.92', '109.152.33.18'],
      client: 'human',
    }),
    role('terraform-deploy', 'terraform', 8, {
      sessionNames: ['terraform-run'],
      ips: ['34.201.18.77', '34.201.18.78'],
      client: 'terraform',
    }),
    role('datadog-integration', 'monitor', 14, {
      sessionNames: ['DatadogAWSIntegration'],
      ips: ['3.233.144.20', '3.233.144.37', '44.192.28.113'],
      client: 'datadog',
    }),
    role('AWSServiceRoleForConfig', 'config', 8, {
      rolePath: '/aws-service-role/config.amazonaws.com/',
      sessionNames: ['AWSConfig-Describe'],
      service: 'config.amazonaws.com',
      ips: ['config.amazonaws.com'],
      client: 'service',
    }),
    role('AWSServiceRoleForAutoScaling', 'autoscaling', 2, {
      rolePath: '/aws-service-role/autoscaling.amazonaws.com/',
      sessionNames: ['AutoScaling'],
      service: 'autoscaling.amazonaws.com',
      ips: ['autoscaling.amazonaws.com'],
      client: 'service',
    }),
    {
      key: 'service/ec2',
      profile: 'service',
      weight: 4,
      kind: 'service',
      service: 'ec2.amazonaws.com',
      ips: ['ec2.amazonaws.com'],
      client: 'service',
      principalId: '',
    },
    {
      key: 'service/lambda',
      profile: 'service',
      weight: 3,
      kind: 'service',
      service: 'lambda.amazonaws.com',
      ips: ['lambda.amazonaws.com'],
      client: 'service',
      principalId: '',
    },
    {
      key: 'service/cloudtrail',
      profile: 'service',
      weight: 3,
      kind: 'service',
      service: 'cloudtrail.amazonaws.com',
      ips: ['cloudtrail.amazonaws.com'],
      client: 'service',
      principalId: '',
    },
    {
      key: 'account/datadog',
      profile: 'service',
      weight: 2,
      kind: 'account',
      externalAccount: DATADOG_ACCOUNT,
      ips: ['3.233.144.20', '3.233.144.37', '44.192.28.113'],
      client: 'datadog',
      principalId: principalId('AIDA', `datadog/${a}`),
    },
  ];
  let specific: Actor[];
  if (account.name === 'prod') {
    specific = [
      human('alice', 'admin', 5, ['86.24.17.90', '73.158.44.201']),
      human('bob', 'developer', 4, ['86.24.17.91', '82.132.214.7']),
      role('app-server-role', 'app', 22, { instanceSessions: true, client: 'java' }),
      role('orders-processor-lambda', 'lambda', 12, { sessionNames: ['orders-processor', 'invoice-renderer'], client: 'go' }),
    ];
  } else if (account.name === 'dev') {
    specific = [
      human('carol', 'developer', 8, ['86.24.17.93', '94.173.8.220']),
      human('dave', 'developer', 7, ['86.24.17.94', '188.29.164.51']),
      role('dev-app-role', 'app', 14, { instanceSessions: true, client: 'boto3' }),
      role('dev-lambda-exec', 'lambda', 8, { sessionNames: ['feature-preview', 'nightly-cleanup'], client: 'boto3' }),
    ];
  } else {
    specific = [
      human('erin', 'admin', 5, ['86.24.17.95', '151.229.60.14']),
      human('frank', 'developer', 3, ['86.24.17.96']),
      role('build-runner-role', 'app', 14, { instanceSessions: true, client: 'go' }),
      role('AWSBackupDefaultServiceRole', 'backup', 6, {
        rolePath: '/service-role/',
        sessionNames: ['AWSBackup-AWSBackupDefaultServiceRole'],
        service: 'backup.amazonaws.com',
        ips: ['backup.amazonaws.com'],
        client: 'service',
      }),
    ];
  }
  return [...specific, ...common];
}

const cache = new Map<string, RegionWorld>();

/** The fixed world of one account in one region (seed-independent, cached). */
export function regionWorld(accountId: string, region: Region): RegionWorld {
  const key = `${accountId}/${region}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const account = ACCOUNTS.find((a) => a.id === accountId);
  if (!account) throw new Error(`unknown sample account ${accountId}`);
  const rng = new Rng(`world|${key}`);
  const second = VPC_SECOND_OCTET[account.name][region];
  const netPrefix = `10.${second}`;
  const azs = AZS[region];
  const subnets: RegionWorld['subnets'] = [];
  for (let i = 0; i < 3; i++) subnets.push({ id: `subnet-0${rng.hex(16)}`, third: 100 + i, az: i, kind: 'public' });
  for (let i = 0; i < 3; i++) subnets.push({ id: `subnet-0${rng.hex(16)}`, third: 1 + i, az: i, kind: 'app' });
  for (let i = 0; i < 3; i++) subnets.push({ id: `subnet-0${rng.hex(16)}`, third: 10 + i, az: i, kind: 'data' });
  const used = new Set<string>(RESERVED_HOSTS);
  const hosts: Host[] = [];
  const addHost = (role: HostRole, kind: 'public' | 'app' | 'data', managed: boolean, ipv6 = false): Host => {
    const candidates = subnets.filter((s) => s.kind === kind);
    const subnet = candidates[hosts.length % candidates.length];
    let ip: string;
    do {
      ip = `${netPrefix}.${subnet.third}.${rng.int(4, 250)}`;
    } while (used.has(ip) || ip.endsWith('.15') || ip.endsWith('.25'));
    used.add(ip);
    const host: Host = {
      eni: `eni-0${rng.hex(16)}`,
      ip,
      instanceId: managed ? '-' : `i-0${rng.hex(16)}`,
      role,
      subnetId: subnet.id,
      azId: azs[subnet.az].id,
    };
    if (ipv6)
      host.ipv6 =
        `${IPV6_PREFIX[region]}:${rng.hex(3)}:${subnet.third.toString(16)}00:${rng.hex(4)}:${rng.hex(4)}:${rng.hex(4)}:${rng.hex(4)}`.replace(
          /:0+(?=[0-9a-f])/g,
          ':',
        );
    hosts.push(host);
    return host;
  };
  const nWeb = account.name === 'prod' ? 4 : 2;
  const nApp = account.name === 'prod' ? 6 : 4;
  for (let i = 0; i < 2; i++) addHost('elb', 'public', true);
  addHost('nat', 'public', true);
  addHost('bastion', 'public', false);
  for (let i = 0; i < nWeb; i++) addHost('web', 'app', false, i === 0);
  for (let i = 0; i < nApp; i++) addHost('app', 'app', false, i === 1);
  for (let i = 0; i < 3; i++) addHost('worker', 'app', false);
  for (let i = 0; i < 2; i++) addHost('db', 'data', true);
  addHost('cache', 'data', true);
  if (account.name === 'shared') addHost('backup', 'app', false);
  for (let i = 0; i < 2; i++) addHost('idle', 'app', false);

  const natIps = [`${rng.pick(['3.81', '54.210', '44.205', '52.44'])}.${rng.int(1, 254)}.${rng.int(1, 254)}`];
  natIps.push(`${natIps[0].split('.').slice(0, 2).join('.')}.${rng.int(1, 254)}.${rng.int(1, 254)}`);

  const instances = hosts.filter((h) => h.instanceId !== '-').map((h) => h.instanceId);
  for (let i = 0; i < 6; i++) instances.push(`i-0${rng.hex(16)}`);
  const env = account.name;
  const world: RegionWorld = {
    account,
    region,
    azs,
    vpcId: `vpc-0${rng.hex(16)}`,
    vpcCidr: `${netPrefix}.0.0/16`,
    netPrefix,
    subnets,
    hosts,
    instances,
    securityGroups: Array.from({ length: 6 }, () => `sg-0${rng.hex(16)}`),
    amis: Array.from({ length: 3 }, () => `ami-0${rng.hex(16)}`),
    volumes: Array.from({ length: 8 }, () => `vol-0${rng.hex(16)}`),
    buckets: BUCKETS[account.name][region],
    functions: [`${env}-orders-processor`, `${env}-invoice-renderer`, `${env}-thumbnailer`, `${env}-nightly-cleanup`],
    dbInstances: [`${env}-postgres-main`, `${env}-postgres-replica`],
    kmsKeys: Array.from({ length: 3 }, () => `${rng.hex(8)}-${rng.hex(4)}-4${rng.hex(3)}-a${rng.hex(3)}-${rng.hex(12)}`),
    parameters: [`/${env}/app/db-host`, `/${env}/app/feature-flags`, `/${env}/app/log-level`, `/${env}/orders/queue-url`],
    secrets: [`${env}/postgres/app`, `${env}/stripe/api-key`, `${env}/smtp/credentials`],
    logGroups: [`/aws/lambda/${env}-orders-processor`, `/aws/lambda/${env}-invoice-renderer`, `/${env}/app/api`, `/${env}/app/worker`],
    tables: [`${env}-sessions`, `${env}-orders`, `${env}-idempotency-keys`],
    loadBalancers: [`${env}-public-alb`, `${env}-internal-alb`],
    natIps,
    actors: [],
    flowLogId: `fl-0${rng.hex(16)}`,
    trailBucket: account.name === 'prod' ? 'casebook-prod-audit-logs' : 'acme-shared-cloudtrail-archive',
  };
  world.actors = accountActors(account, natIps);
  cache.set(key, world);
  return world;
}
