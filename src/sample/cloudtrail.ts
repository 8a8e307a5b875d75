/**
 * CloudTrail records in the shape AWS writes them: background activity of the
 * sample world and the planted incidents.
 */
import { type Rng, Weighted } from './random.js';
import { HOUR, MINUTE, isoFromUnixSeconds, javaDate } from './time.js';
import { GLOBAL_REGION, INCIDENT, MALLORY, type AccountName, type Actor, type Profile, type RegionWorld } from './world.js';

export type CtRecord = Record<string, unknown>;

interface Ctx {
  rng: Rng;
  w: RegionWorld;
  actor: Actor;
  t: number;
  acct: string;
  region: string;
  /** ARN of the caller (for error messages). */
  callerArn: string;
  /** Session name of an assumed role, if any. */
  session?: string;
}

interface Built {
  req?: unknown;
  res?: unknown;
  resources?: unknown[];
  extra?: unknown;
  /** Override the TLS host header (S3 virtual-hosted buckets). */
  host?: string;
  /** Resource in an access-denied message. */
  deniedOn?: string;
}

interface OpDef {
  svc: string;
  name: string;
  ro: boolean;
  global?: boolean;
  data?: boolean;
  who: Partial<Record<Profile | ServiceProfile, number>>;
  when?: (w: RegionWorld) => boolean;
  build?: (c: Ctx) => Built;
  /** A benign, non-authorization error some calls return (e.g. NoSuchBucketPolicy). */
  err?: { p: number; code: string; msg: string };
  eventType?: string;
  apiVersion?: string;
}

type ServiceProfile = 'svc-ec2' | 'svc-lambda' | 'svc-cloudtrail' | 'ext-datadog';

const SOURCE_HOST: Record<string, string> = { monitoring: 'monitoring', tagging: 'tagging' };

function eventSource(svc: string): string {
  return `${SOURCE_HOST[svc] ?? svc}.amazonaws.com`;
}

const EVENT_VERSION: Record<string, string> = {
  ec2: '1.10',
  s3: '1.10',
  iam: '1.09',
  sts: '1.08',
  signin: '1.09',
  cloudtrail: '1.11',
  kms: '1.09',
  lambda: '1.09',
  ssm: '1.09',
  secretsmanager: '1.10',
  rds: '1.09',
  logs: '1.11',
  monitoring: '1.11',
  elasticloadbalancing: '1.09',
  autoscaling: '1.09',
  dynamodb: '1.09',
  tagging: '1.11',
};

const TLS13 = 'TLS_AES_128_GCM_SHA256';

const BROWSERS = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/121.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/121.0.0.0 Safari/537.36 Edg/121.0.0.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.3; rv:122.0) Gecko/20100101 Firefox/122.0',
];

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
function b64(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += B64[rng.u32() & 63];
  return s;
}

const kebabCache = new Map<string, string>();
function kebab(name: string): string {
  let k = kebabCache.get(name);
  if (k === undefined) {
    k = name
      .replace(/\d{8}(v\d)?$/, '')
      .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
      .toLowerCase();
    kebabCache.set(name, k);
  }
  return k;
}

function iamAction(svc: string, name: string): string {
  const prefix = svc === 'monitoring' ? 'cloudwatch' : svc === 'tagging' ? 'tag' : svc;
  return `${prefix}:${name.replace(/\d{8}(v\d)?$/, '')}`;
}

function pick<T>(rng: Rng, items: readonly T[]): T {
  return rng.pick(items);
}

function s3Key(rng: Rng, bucket: string, t: number): string {
  const day = isoFromUnixSeconds(t).slice(0, 10).replace(/-/g, '/');
  if (bucket.includes('static')) return `assets/${rng.pick(['css', 'js', 'img'])}/${rng.hex(10)}.${rng.pick(['css', 'js', 'png', 'svg'])}`;
  if (bucket.includes('artifacts') || bucket.includes('ci-cache')) return `builds/${rng.pick(['api', 'worker', 'web'])}/${rng.hex(12)}.zip`;
  if (bucket.includes('terraform'))
    return `env/${rng.pick(['prod', 'dev', 'shared'])}/${rng.pick(['network', 'compute', 'iam', 'data'])}/terraform.tfstate`;
  if (bucket.includes('backups')) return `rds/${day}/${rng.pick(['postgres-main', 'postgres-replica'])}-${rng.hex(8)}.dump.gz`;
  if (bucket.includes('reports')) return `reports/${day}/${rng.pick(['daily-sales', 'inventory', 'payouts'])}.pdf`;
  if (bucket.includes('audit'))
    return `AWSLogs/111122223333/CloudTrail/us-east-1/${day}/111122223333_CloudTrail_us-east-1_${rng.alnum(16)}.json.gz`;
  return `${rng.pick(['orders', 'uploads', 'invoices', 'thumbnails'])}/${day}/${rng.uuid()}.${rng.pick(['json', 'json', 'pdf', 'jpg'])}`;
}

function s3Extra(rng: Rng, bytesIn: number, bytesOut: number): unknown {
  return {
    SignatureVersion: 'SigV4',
    CipherSuite: TLS13,
    bytesTransferredIn: bytesIn,
    AuthenticationMethod: 'AuthHeader',
    'x-amz-id-2': b64(rng, 76),
    bytesTransferredOut: bytesOut,
  };
}

function s3Object(c: Ctx, buckets: string[], write: boolean): Built {
  const bucket = pick(c.rng, buckets);
  const key = s3Key(c.rng, bucket, c.t);
  const host = `${bucket}.s3.${c.region}.amazonaws.com`;
  const size = Math.round(c.rng.lognormal(40_000, 1.6));
  return {
    req: { bucketName: bucket, Host: host, key },
    res: write ? { 'x-amz-server-side-encryption': 'AES256', 'x-amz-version-id': b64(c.rng, 32).replace(/[+/]/g, '_') } : null,
    resources: [
      { type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${bucket}/${key}` },
      { accountId: c.acct, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` },
    ],
    extra: s3Extra(c.rng, write ? size : 0, write ? 0 : size),
    host,
    deniedOn: `arn:aws:s3:::${bucket}/${key}`,
  };
}

function s3Bucket(c: Ctx, extraReq: Record<string, unknown>, bucket?: string): Built {
  const b = bucket ?? pick(c.rng, c.w.buckets);
  const host = `${b}.s3.${c.region}.amazonaws.com`;
  return {
    req: { bucketName: b, Host: host, ...extraReq },
    res: null,
    resources: [{ accountId: c.acct, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${b}` }],
    extra: s3Extra(c.rng, 0, c.rng.int(200, 900)),
    host,
    deniedOn: `arn:aws:s3:::${b}`,
  };
}

interface Derived {
  appBuckets: string[];
  roleNames: string[];
  userNames: string[];
  workloadHosts: RegionWorld['hosts'];
}
const derivedCache = new WeakMap<RegionWorld, Derived>();
/** Lists derived from the world, computed once per world (the hot path must not allocate them). */
function derived(w: RegionWorld): Derived {
  let d = derivedCache.get(w);
  if (!d) {
    d = {
      appBuckets: w.buckets.filter((b) => !b.includes('audit') && !b.includes('terraform')),
      roleNames: w.actors.filter((a) => a.roleName).map((a) => a.roleName!),
      userNames: w.actors.filter((a) => a.userName).map((a) => a.userName!),
      workloadHosts: w.hosts.filter((h) => h.role === 'app' || h.role === 'web' || h.role === 'worker'),
    };
    derivedCache.set(w, d);
  }
  return d;
}
const appBuckets = (w: RegionWorld): string[] => derived(w).appBuckets;

function roleArn(w: RegionWorld, roleName: string, path = '/'): string {
  return `arn:aws:iam::${w.account.id}:role${path}${roleName}`;
}

function assumeRole(c: Ctx, roleName: string, path: string, session: string, extraReq: Record<string, unknown> = {}): Built {
  const arn = roleArn(c.w, roleName, path);
  const roleId = c.w.actors.find((a) => a.roleName === roleName)?.principalId ?? `AROA${c.rng.upperAlnum(17)}`;
  return {
    req: { roleArn: arn, roleSessionName: session, ...extraReq },
    res: {
      credentials: {
        accessKeyId: `ASIA${c.rng.upperAlnum(16)}`,
        sessionToken: `IQoJb3JpZ2luX2VjE${b64(c.rng, 96)}`,
        expiration: javaDate(c.t + HOUR),
      },
      assumedRoleUser: {
        assumedRoleId: `${roleId}:${session}`,
        arn: `arn:aws:sts::${c.acct}:assumed-role/${roleName}/${session}`,
      },
    },
    resources: [{ accountId: c.acct, type: 'AWS::IAM::Role', ARN: arn }],
    deniedOn: arn,
  };
}

function instanceRoleName(w: RegionWorld): string | undefined {
  return w.actors.find((a) => a.instanceSessions)?.roleName;
}

const ec2Describe = (name: string, setKey: string): OpDef => ({
  svc: 'ec2',
  name,
  ro: true,
  who: { admin: 3, developer: 3, readonly: 4, terraform: 6, monitor: 8, config: 6, ci: 2 },
  build: () => ({ req: { [setKey]: {}, filterSet: {} }, res: null }),
});

/** The catalogue of background API calls and who makes them. */
const OPS: OpDef[] = [
  // ---------------- EC2 ----------------
  {
    svc: 'ec2',
    name: 'DescribeInstances',
    ro: true,
    who: { admin: 6, developer: 6, readonly: 6, terraform: 8, monitor: 14, config: 6, ci: 4, autoscaling: 2 },
    build: (c) =>
      c.rng.chance(0.5)
        ? { req: { instancesSet: {}, filterSet: {} }, res: null }
        : { req: { instancesSet: { items: [{ instanceId: pick(c.rng, c.w.instances) }] }, filterSet: {} }, res: null },
  },
  ec2Describe('DescribeSecurityGroups', 'securityGroupSet'),
  ec2Describe('DescribeVolumes', 'volumeSet'),
  ec2Describe('DescribeSubnets', 'subnetSet'),
  ec2Describe('DescribeVpcs', 'vpcSet'),
  ec2Describe('DescribeNetworkInterfaces', 'networkInterfaceIdSet'),
  ec2Describe('DescribeInstanceStatus', 'instancesSet'),
  {
    svc: 'ec2',
    name: 'DescribeImages',
    ro: true,
    who: { terraform: 3, ci: 3, admin: 1, autoscaling: 1 },
    build: (c) => ({
      req: {
        executableBySet: {},
        imagesSet: { items: [{ imageId: pick(c.rng, c.w.amis) }] },
        ownersSet: {},
        includeDeprecated: false,
        filterSet: {},
      },
      res: null,
    }),
  },
  {
    svc: 'ec2',
    name: 'RunInstances',
    ro: false,
    who: { autoscaling: 6, terraform: 1.2, developer: 0.5, ci: 0.4 },
    build: (c) => {
      const host = pick(
        c.rng,
        c.w.hosts.filter((h) => h.role === 'app' || h.role === 'worker' || h.role === 'web'),
      );
      const subnet = c.w.subnets.find((s) => s.id === host.subnetId)!;
      const az = c.w.azs[subnet.az].name;
      const type = pick(c.rng, ['t3.medium', 'm6i.large', 'm6i.xlarge', 'c6g.large']);
      const image = pick(c.rng, c.w.amis);
      const instanceId = `i-0${c.rng.hex(16)}`;
      const sg = pick(c.rng, c.w.securityGroups);
      const ip = `${c.w.netPrefix}.${subnet.third}.${c.rng.int(30, 240)}`;
      return {
        req: {
          instancesSet: { items: [{ imageId: image, minCount: 1, maxCount: 1 }] },
          instanceType: type,
          blockDeviceMapping: {},
          monitoring: { enabled: false },
          subnetId: subnet.id,
          disableApiTermination: false,
          disableApiStop: false,
          clientToken: c.rng.uuid(),
        },
        res: {
          requestId: c.rng.uuid(),
          reservationId: `r-0${c.rng.hex(16)}`,
          ownerId: c.acct,
          groupSet: {},
          instancesSet: {
            items: [
              {
                instanceId,
                imageId: image,
                currentInstanceBootMode: 'uefi',
                instanceState: { code: 0, name: 'pending' },
                privateDnsName: `ip-${ip.replace(/\./g, '-')}.ec2.internal`,
                amiLaunchIndex: 0,
                productCodes: {},
                instanceType: type,
                launchTime: c.t * 1000,
                placement: { availabilityZone: az, tenancy: 'default' },
                monitoring: { state: 'disabled' },
                subnetId: subnet.id,
                vpcId: c.w.vpcId,
                privateIpAddress: ip,
                stateReason: { code: 'pending', message: 'pending' },
                architecture: type.startsWith('c6g') ? 'arm64' : 'x86_64',
                rootDeviceType: 'ebs',
                rootDeviceName: '/dev/xvda',
                blockDeviceMapping: {},
                virtualizationType: 'hvm',
                groupSet: { items: [{ groupId: sg, groupName: 'app-instances' }] },
                networkInterfaceSet: {
                  items: [
                    {
                      networkInterfaceId: `eni-0${c.rng.hex(16)}`,
                      subnetId: subnet.id,
                      vpcId: c.w.vpcId,
                      ownerId: c.acct,
                      status: 'in-use',
                      privateIpAddress: ip,
                    },
                  ],
                },
                ebsOptimized: false,
                enaSupport: true,
                metadataOptions: { state: 'pending', httpTokens: 'required', httpPutResponseHopLimit: 2, httpEndpoint: 'enabled' },
              },
            ],
          },
        },
        resources: undefined,
        deniedOn: `arn:aws:ec2:${c.region}:${c.acct}:instance/*`,
      };
    },
  },
  {
    svc: 'ec2',
    name: 'TerminateInstances',
    ro: false,
    who: { autoscaling: 5, developer: 0.3 },
    build: (c) => {
      const id = `i-0${c.rng.hex(16)}`;
      return {
        req: { instancesSet: { items: [{ instanceId: id }] } },
        res: {
          requestId: c.rng.uuid(),
          instancesSet: {
            items: [{ instanceId: id, currentState: { code: 32, name: 'shutting-down' }, previousState: { code: 16, name: 'running' } }],
          },
        },
        deniedOn: `arn:aws:ec2:${c.region}:${c.acct}:instance/${id}`,
      };
    },
  },
  {
    svc: 'ec2',
    name: 'StopInstances',
    ro: false,
    who: { developer: 0.4, admin: 0.2 },
    build: (c) => {
      const id = pick(c.rng, c.w.instances);
      return {
        req: { instancesSet: { items: [{ instanceId: id }] }, force: false },
        res: {
          requestId: c.rng.uuid(),
          instancesSet: {
            items: [{ instanceId: id, currentState: { code: 64, name: 'stopping' }, previousState: { code: 16, name: 'running' } }],
          },
        },
      };
    },
  },
  {
    svc: 'ec2',
    name: 'CreateTags',
    ro: false,
    who: { autoscaling: 5, terraform: 2, ci: 1 },
    build: (c) => ({
      req: {
        resourcesSet: { items: [{ resourceId: pick(c.rng, c.w.instances) }] },
        tagSet: {
          items: [
            {
              key: pick(c.rng, ['Name', 'team', 'cost-center', 'aws:autoscaling:groupName']),
              value: pick(c.rng, ['api', 'worker', 'platform', 'web-asg']),
            },
          ],
        },
      },
      res: { requestId: c.rng.uuid(), _return: true },
      deniedOn: `arn:aws:ec2:${c.region}:${c.acct}:instance/*`,
    }),
  },
  {
    svc: 'ec2',
    name: 'AuthorizeSecurityGroupIngress',
    ro: false,
    who: { terraform: 0.15, admin: 0.05 },
    build: (c) => {
      const groupId = pick(c.rng, c.w.securityGroups);
      const port = pick(c.rng, [443, 5432, 6379, 8080]);
      return {
        req: {
          groupId,
          ipPermissions: {
            items: [
              {
                ipProtocol: 'tcp',
                fromPort: port,
                toPort: port,
                groups: {},
                ipRanges: { items: [{ cidrIp: c.w.vpcCidr, description: 'from VPC' }] },
                ipv6Ranges: {},
                prefixListIds: {},
              },
            ],
          },
        },
        res: {
          requestId: c.rng.uuid(),
          _return: true,
          securityGroupRuleSet: {
            items: [
              {
                groupOwnerId: c.acct,
                groupId,
                securityGroupRuleId: `sgr-0${c.rng.hex(16)}`,
                isEgress: false,
                ipProtocol: 'tcp',
                fromPort: port,
                toPort: port,
                cidrIpv4: c.w.vpcCidr,
                description: 'from VPC',
              },
            ],
          },
        },
      };
    },
  },
  // ---------------- S3 (management) ----------------
  {
    svc: 's3',
    name: 'ListBuckets',
    ro: true,
    who: { admin: 2, developer: 2, readonly: 3, monitor: 3, config: 2 },
    build: (c) => ({
      req: { Host: `s3.${c.region}.amazonaws.com` },
      res: null,
      host: `s3.${c.region}.amazonaws.com`,
      extra: s3Extra(c.rng, 0, c.rng.int(900, 4000)),
    }),
  },
  {
    svc: 's3',
    name: 'GetBucketLocation',
    ro: true,
    who: { monitor: 3, config: 2, terraform: 2, readonly: 1 },
    when: (w) => w.buckets.length > 0,
    build: (c) => s3Bucket(c, { location: '' }),
  },
  {
    svc: 's3',
    name: 'GetBucketVersioning',
    ro: true,
    who: { config: 3, terraform: 2 },
    when: (w) => w.buckets.length > 0,
    build: (c) => s3Bucket(c, { versioning: '' }),
  },
  {
    svc: 's3',
    name: 'GetBucketPolicy',
    ro: true,
    who: { config: 3, terraform: 1, monitor: 1 },
    when: (w) => w.buckets.length > 0,
    build: (c) => s3Bucket(c, { policy: '' }),
    err: { p: 0.45, code: 'NoSuchBucketPolicy', msg: 'The bucket policy does not exist' },
  },
  {
    svc: 's3',
    name: 'GetBucketAcl',
    ro: true,
    who: { config: 2 },
    when: (w) => w.buckets.length > 0,
    build: (c) => s3Bucket(c, { acl: '' }),
  },
  {
    svc: 's3',
    name: 'GetBucketAcl',
    ro: true,
    who: { 'svc-cloudtrail': 5 },
    when: (w) => w.buckets.includes(w.trailBucket),
    build: (c) => s3Bucket(c, { acl: '' }, c.w.trailBucket),
  },
  // ---------------- S3 (data events) ----------------
  {
    svc: 's3',
    name: 'GetObject',
    ro: true,
    data: true,
    who: { app: 30, lambda: 20, developer: 3, ci: 4, backup: 2 },
    when: (w) => appBuckets(w).length > 0,
    build: (c) => s3Object(c, appBuckets(c.w), false),
  },
  {
    svc: 's3',
    name: 'PutObject',
    ro: false,
    data: true,
    who: { app: 14, lambda: 14, ci: 5, backup: 8 },
    when: (w) => appBuckets(w).length > 0,
    build: (c) => s3Object(c, appBuckets(c.w), true),
  },
  {
    svc: 's3',
    name: 'HeadObject',
    ro: true,
    data: true,
    who: { app: 6, lambda: 4, ci: 2 },
    when: (w) => appBuckets(w).length > 0,
    build: (c) => s3Object(c, appBuckets(c.w), false),
  },
  {
    svc: 's3',
    name: 'DeleteObject',
    ro: false,
    data: true,
    who: { lambda: 1.5, app: 0.5 },
    when: (w) => appBuckets(w).length > 0,
    build: (c) => s3Object(c, appBuckets(c.w), false),
  },
  {
    svc: 's3',
    name: 'PutObject',
    ro: false,
    data: true,
    who: { 'svc-cloudtrail': 8 },
    when: (w) => w.buckets.includes(w.trailBucket),
    build: (c) => s3Object(c, [c.w.trailBucket], true),
  },
  {
    svc: 's3',
    name: 'ListObjects',
    ro: true,
    data: true,
    who: { app: 2, ci: 2, developer: 1, backup: 2 },
    when: (w) => appBuckets(w).length > 0,
    build: (c) => {
      const b = s3Bucket(
        c,
        { 'list-type': '2', prefix: pick(c.rng, ['orders/', 'uploads/', 'builds/', 'rds/']), 'max-keys': 1000 },
        pick(c.rng, appBuckets(c.w)),
      );
      return b;
    },
  },
  // ---------------- IAM (global) ----------------
  {
    svc: 'iam',
    name: 'GetUser',
    ro: true,
    global: true,
    who: { admin: 2, developer: 2, readonly: 2, ci: 2, config: 1 },
    build: (c) => ({ req: { userName: c.actor.userName ?? 'ci-deploy' }, res: null }),
  },
  {
    svc: 'iam',
    name: 'GetRole',
    ro: true,
    global: true,
    who: { terraform: 6, config: 3, monitor: 1, admin: 1 },
    build: (c) => ({ req: { roleName: pick(c.rng, derived(c.w).roleNames) }, res: null }),
  },
  {
    svc: 'iam',
    name: 'ListRoles',
    ro: true,
    global: true,
    who: { readonly: 2, admin: 1, monitor: 2, config: 1 },
    build: () => ({ req: null, res: null }),
  },
  {
    svc: 'iam',
    name: 'ListUsers',
    ro: true,
    global: true,
    who: { readonly: 1, admin: 1, config: 1 },
    build: () => ({ req: null, res: null }),
  },
  {
    svc: 'iam',
    name: 'ListPolicies',
    ro: true,
    global: true,
    who: { readonly: 1, config: 1, monitor: 1 },
    build: () => ({ req: { scope: 'Local', onlyAttached: false }, res: null }),
  },
  {
    svc: 'iam',
    name: 'ListAttachedRolePolicies',
    ro: true,
    global: true,
    who: { terraform: 3, config: 2 },
    build: (c) => ({ req: { roleName: pick(c.rng, derived(c.w).roleNames) }, res: null }),
  },
  {
    svc: 'iam',
    name: 'GetPolicyVersion',
    ro: true,
    global: true,
    who: { terraform: 2, config: 1 },
    build: (c) => ({
      req: {
        policyArn: `arn:aws:iam::${c.acct}:policy/${pick(c.rng, ['app-s3-access', 'lambda-logging', 'ci-deploy-policy'])}`,
        versionId: `v${c.rng.int(1, 6)}`,
      },
      res: null,
    }),
  },
  {
    svc: 'iam',
    name: 'ListAccessKeys',
    ro: true,
    global: true,
    who: { admin: 0.5, readonly: 0.5, config: 1 },
    build: (c) => ({ req: { userName: pick(c.rng, derived(c.w).userNames) }, res: null }),
  },
  // ---------------- STS (global) ----------------
  {
    svc: 'sts',
    name: 'GetCallerIdentity',
    ro: true,
    global: true,
    who: { ci: 4, terraform: 4, developer: 1, app: 0.5 },
    build: () => ({ req: null, res: null }),
  },
  {
    svc: 'sts',
    name: 'AssumeRole',
    ro: true,
    global: true,
    who: { 'svc-ec2': 10, ci: 3 },
    when: (w) => instanceRoleName(w) !== undefined,
    build: (c) => {
      if (c.actor.kind === 'user')
        return assumeRole(c, 'terraform-deploy', '/', `terraform-run-${c.rng.int(1000, 9999)}`, { durationSeconds: 3600 });
      const host = pick(c.rng, derived(c.w).workloadHosts);
      return assumeRole(c, instanceRoleName(c.w)!, '/', host.instanceId);
    },
  },
  {
    svc: 'sts',
    name: 'AssumeRole',
    ro: true,
    global: true,
    who: { 'svc-lambda': 10 },
    build: (c) => {
      const role = c.w.actors.find((a) => a.profile === 'lambda');
      return assumeRole(c, role?.roleName ?? 'lambda-exec', '/', pick(c.rng, role?.sessionNames ?? c.w.functions));
    },
  },
  {
    svc: 'sts',
    name: 'AssumeRole',
    ro: true,
    global: true,
    who: { 'ext-datadog': 10 },
    build: (c) => assumeRole(c, 'datadog-integration', '/', 'DatadogAWSIntegration', { externalId: c.rng.hex(32), durationSeconds: 3600 }),
  },
  // ---------------- sign-in (global) ----------------
  {
    svc: 'signin',
    name: 'ConsoleLogin',
    ro: false,
    global: true,
    eventType: 'AwsConsoleSignIn',
    who: { admin: 1.2, developer: 1.2 },
    when: () => true,
    build: (c) => ({
      req: null,
      res: { ConsoleLogin: 'Success' },
      extra: {
        LoginTo: 'https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&state=hashArgsFromTB_us-east-1_' + c.rng.hex(16),
        MobileVersion: 'No',
        MFAIdentifier: `arn:aws:iam::${c.acct}:mfa/${c.actor.userName}`,
        MFAUsed: 'Yes',
      },
      host: 'signin.aws.amazon.com',
    }),
  },
  // ---------------- CloudTrail ----------------
  {
    svc: 'cloudtrail',
    name: 'DescribeTrails',
    ro: true,
    who: { readonly: 2, config: 2, monitor: 2, terraform: 1 },
    build: () => ({ req: { trailNameList: [], includeShadowTrails: true }, res: null }),
  },
  {
    svc: 'cloudtrail',
    name: 'GetTrailStatus',
    ro: true,
    who: { config: 2, monitor: 2, readonly: 1 },
    build: (c) => ({ req: { name: `arn:aws:cloudtrail:us-east-1:${c.acct}:trail/management-events` }, res: null }),
  },
  {
    svc: 'cloudtrail',
    name: 'LookupEvents',
    ro: true,
    who: { readonly: 1.5, admin: 1 },
    build: () => ({ req: { maxResults: 50, lookupAttributes: [{ attributeKey: 'ReadOnly', attributeValue: 'false' }] }, res: null }),
  },
  {
    svc: 'cloudtrail',
    name: 'GetEventSelectors',
    ro: true,
    who: { config: 1, terraform: 1 },
    build: (c) => ({ req: { trailName: `arn:aws:cloudtrail:us-east-1:${c.acct}:trail/management-events` }, res: null }),
  },
  // ---------------- KMS ----------------
  {
    svc: 'kms',
    name: 'Decrypt',
    ro: true,
    who: { app: 10, lambda: 8, backup: 2, ci: 1 },
    build: (c) => {
      const key = pick(c.rng, c.w.kmsKeys);
      const arn = `arn:aws:kms:${c.region}:${c.acct}:key/${key}`;
      return {
        req: { encryptionAlgorithm: 'SYMMETRIC_DEFAULT', keyId: arn },
        res: null,
        resources: [{ accountId: c.acct, type: 'AWS::KMS::Key', ARN: arn }],
        deniedOn: arn,
      };
    },
  },
  {
    svc: 'kms',
    name: 'GenerateDataKey',
    ro: true,
    who: { app: 4, lambda: 4, backup: 2 },
    build: (c) => {
      const key = pick(c.rng, c.w.kmsKeys);
      const arn = `arn:aws:kms:${c.region}:${c.acct}:key/${key}`;
      return {
        req: { keyId: `alias/${c.w.account.name}-data`, keySpec: 'AES_256' },
        res: null,
        resources: [{ accountId: c.acct, type: 'AWS::KMS::Key', ARN: arn }],
        deniedOn: arn,
      };
    },
  },
  { svc: 'kms', name: 'ListAliases', ro: true, who: { monitor: 2, readonly: 1, terraform: 1 }, build: () => ({ req: null, res: null }) },
  {
    svc: 'kms',
    name: 'DescribeKey',
    ro: true,
    who: { terraform: 2, config: 2, monitor: 1 },
    build: (c) => {
      const arn = `arn:aws:kms:${c.region}:${c.acct}:key/${pick(c.rng, c.w.kmsKeys)}`;
      return { req: { keyId: arn }, res: null, resources: [{ accountId: c.acct, type: 'AWS::KMS::Key', ARN: arn }] };
    },
  },
  // ---------------- Lambda ----------------
  {
    svc: 'lambda',
    name: 'ListFunctions20150331',
    ro: true,
    apiVersion: '2015-03-31',
    who: { monitor: 4, readonly: 1, config: 1 },
    build: () => ({ req: null, res: null }),
  },
  {
    svc: 'lambda',
    name: 'GetFunction20150331v2',
    ro: true,
    apiVersion: '2015-03-31',
    who: { terraform: 3, ci: 2, developer: 1 },
    build: (c) => ({ req: { functionName: pick(c.rng, c.w.functions) }, res: null }),
  },
  {
    svc: 'lambda',
    name: 'UpdateFunctionCode20150331v2',
    ro: false,
    apiVersion: '2015-03-31',
    who: { ci: 1.5, developer: 0.3 },
    build: (c) => {
      const fn = pick(c.rng, c.w.functions);
      return {
        req: {
          functionName: fn,
          s3Bucket: `acme-${c.w.account.name}-artifacts`,
          s3Key: `builds/${fn}/${c.rng.hex(12)}.zip`,
          publish: true,
        },
        res: {
          functionName: fn,
          functionArn: `arn:aws:lambda:${c.region}:${c.acct}:function:${fn}`,
          runtime: 'python3.12',
          codeSize: c.rng.int(20000, 9000000),
          lastModified: isoFromUnixSeconds(c.t).replace('Z', '.000+0000'),
          version: String(c.rng.int(2, 140)),
          state: 'Active',
          lastUpdateStatus: 'InProgress',
        },
      };
    },
  },
  // ---------------- CloudWatch / Logs ----------------
  {
    svc: 'monitoring',
    name: 'DescribeAlarms',
    ro: true,
    who: { monitor: 5, readonly: 1, admin: 1 },
    build: () => ({ req: { maxRecords: 100 }, res: null }),
  },
  {
    svc: 'monitoring',
    name: 'GetMetricData',
    ro: true,
    who: { monitor: 10, admin: 1, developer: 1 },
    build: (c) => ({ req: { startTime: javaDate(c.t - 900), endTime: javaDate(c.t), maxDatapoints: 100800 }, res: null }),
  },
  {
    svc: 'monitoring',
    name: 'ListMetrics',
    ro: true,
    who: { monitor: 3 },
    build: (c) => ({ req: { namespace: pick(c.rng, ['AWS/EC2', 'AWS/RDS', 'AWS/Lambda', 'AWS/ApplicationELB']) }, res: null }),
  },
  {
    svc: 'logs',
    name: 'DescribeLogGroups',
    ro: true,
    who: { monitor: 3, readonly: 1, developer: 1, terraform: 1 },
    build: () => ({ req: { limit: 50 }, res: null }),
  },
  {
    svc: 'logs',
    name: 'CreateLogStream',
    ro: false,
    who: { lambda: 2, app: 1 },
    build: (c) => ({
      req: {
        logGroupName: pick(c.rng, c.w.logGroups),
        logStreamName: `${isoFromUnixSeconds(c.t).slice(0, 10).replace(/-/g, '/')}/[$LATEST]${c.rng.hex(32)}`,
      },
      res: null,
    }),
  },
  {
    svc: 'logs',
    name: 'FilterLogEvents',
    ro: true,
    who: { developer: 1.5, admin: 0.5 },
    build: (c) => ({ req: { logGroupName: pick(c.rng, c.w.logGroups), startTime: (c.t - 3600) * 1000, interleaved: true }, res: null }),
  },
  // ---------------- SSM / Secrets Manager ----------------
  {
    svc: 'ssm',
    name: 'GetParameter',
    ro: true,
    who: { app: 6, lambda: 6, ci: 1 },
    build: (c) => ({ req: { name: pick(c.rng, c.w.parameters), withDecryption: true }, res: null }),
  },
  {
    svc: 'ssm',
    name: 'GetParameters',
    ro: true,
    who: { app: 2, ci: 2 },
    build: (c) => ({ req: { names: [pick(c.rng, c.w.parameters), pick(c.rng, c.w.parameters)], withDecryption: true }, res: null }),
  },
  {
    svc: 'ssm',
    name: 'UpdateInstanceInformation',
    ro: false,
    who: { app: 7 },
    build: (c) => ({
      req: {
        instanceId: pick(c.rng, c.w.instances),
        agentVersion: '3.3.40.0',
        agentStatus: 'Active',
        platformType: 'Linux',
        platformName: 'Amazon Linux',
        platformVersion: '2023',
        iPAddress: `${c.w.netPrefix}.${c.rng.int(1, 3)}.${c.rng.int(30, 240)}`,
        computerName: `ip-${c.rng.int(1, 250)}.ec2.internal`,
        agentName: 'amazon-ssm-agent',
        availabilityZone: pick(c.rng, c.w.azs).name,
        availabilityZoneId: pick(c.rng, c.w.azs).id,
      },
      res: null,
    }),
  },
  {
    svc: 'ssm',
    name: 'DescribeInstanceInformation',
    ro: true,
    who: { monitor: 1, readonly: 1 },
    build: () => ({ req: { maxResults: 50 }, res: null }),
  },
  {
    svc: 'secretsmanager',
    name: 'GetSecretValue',
    ro: true,
    who: { app: 4, lambda: 4 },
    build: (c) => {
      const s = pick(c.rng, c.w.secrets);
      return { req: { secretId: s }, res: null, resources: undefined, deniedOn: s };
    },
  },
  {
    svc: 'secretsmanager',
    name: 'ListSecrets',
    ro: true,
    who: { config: 1, readonly: 1, monitor: 0.5 },
    build: () => ({ req: { maxResults: 100 }, res: null }),
  },
  {
    svc: 'secretsmanager',
    name: 'DescribeSecret',
    ro: true,
    who: { terraform: 2, config: 1 },
    build: (c) => ({ req: { secretId: pick(c.rng, c.w.secrets) }, res: null }),
  },
  // ---------------- RDS / ELB / Auto Scaling / DynamoDB / tagging ----------------
  {
    svc: 'rds',
    name: 'DescribeDBInstances',
    ro: true,
    who: { monitor: 6, readonly: 1, config: 2, terraform: 2, backup: 1 },
    build: () => ({ req: null, res: null }),
  },
  {
    svc: 'rds',
    name: 'DescribeDBClusters',
    ro: true,
    who: { monitor: 2, config: 1 },
    build: () => ({ req: { includeShared: false }, res: null }),
  },
  {
    svc: 'rds',
    name: 'CreateDBSnapshot',
    ro: false,
    who: { backup: 2 },
    build: (c) => {
      const db = pick(c.rng, c.w.dbInstances);
      const snap = `awsbackup:job-${c.rng.uuid()}`;
      return {
        req: { dBSnapshotIdentifier: snap, dBInstanceIdentifier: db },
        res: {
          dBSnapshotIdentifier: snap,
          dBInstanceIdentifier: db,
          engine: 'postgres',
          status: 'creating',
          snapshotType: 'manual',
          dBSnapshotArn: `arn:aws:rds:${c.region}:${c.acct}:snapshot:${snap}`,
        },
      };
    },
  },
  {
    svc: 'elasticloadbalancing',
    name: 'DescribeLoadBalancers',
    ro: true,
    apiVersion: '2015-12-01',
    who: { monitor: 4, terraform: 2, readonly: 1 },
    build: () => ({ req: null, res: null }),
  },
  {
    svc: 'elasticloadbalancing',
    name: 'DescribeTargetHealth',
    ro: true,
    apiVersion: '2015-12-01',
    who: { monitor: 4, autoscaling: 3, ci: 1 },
    build: (c) => ({
      req: { targetGroupArn: `arn:aws:elasticloadbalancing:${c.region}:${c.acct}:targetgroup/${c.w.account.name}-api-tg/${c.rng.hex(16)}` },
      res: null,
    }),
  },
  {
    svc: 'autoscaling',
    name: 'DescribeAutoScalingGroups',
    ro: true,
    who: { monitor: 4, terraform: 1, ci: 1 },
    build: () => ({ req: null, res: null }),
  },
  {
    svc: 'dynamodb',
    name: 'DescribeTable',
    ro: true,
    who: { monitor: 3, terraform: 2, app: 0.5 },
    build: (c) => ({ req: { tableName: pick(c.rng, c.w.tables) }, res: null, resources: undefined }),
  },
  { svc: 'dynamodb', name: 'ListTables', ro: true, who: { monitor: 2, readonly: 1 }, build: () => ({ req: null, res: null }) },
  {
    svc: 'tagging',
    name: 'GetResources',
    ro: true,
    who: { monitor: 4, config: 1 },
    build: () => ({ req: { resourcesPerPage: 100, resourceTypeFilters: ['ec2:instance'] }, res: null }),
  },
];

/** Routine, low-volume access denials of the background (never more than two APIs per principal). */
const DENIALS: Record<AccountName, Array<{ actor: string; op: string; code: string }>> = {
  prod: [
    { actor: 'role/datadog-integration', op: 'secretsmanager:ListSecrets', code: 'AccessDeniedException' },
    { actor: 'role/datadog-integration', op: 's3:GetBucketPolicy', code: 'AccessDenied' },
    { actor: 'role/app-server-role', op: 'ssm:GetParameters', code: 'AccessDeniedException' },
  ],
  dev: [
    { actor: 'user/carol', op: 'ec2:RunInstances', code: 'Client.UnauthorizedOperation' },
    { actor: 'user/ci-deploy', op: 'iam:GetRole', code: 'AccessDenied' },
  ],
  shared: [
    { actor: 'role/AWSReservedSSO_ReadOnlyAccess_0a9b8c7d6e5f4a3b', op: 'kms:Decrypt', code: 'AccessDeniedException' },
    { actor: 'role/terraform-deploy', op: 'ec2:CreateTags', code: 'Client.UnauthorizedOperation' },
  ],
};

const DENY_RATE = 0.004;

function profileOf(actor: Actor): Profile | ServiceProfile {
  if (actor.kind === 'service') {
    if (actor.service === 'ec2.amazonaws.com') return 'svc-ec2';
    if (actor.service === 'lambda.amazonaws.com') return 'svc-lambda';
    if (actor.service === 'cloudtrail.amazonaws.com') return 'svc-cloudtrail';
  }
  if (actor.kind === 'account') return 'ext-datadog';
  return actor.profile;
}

/** A small number that stays the same for an actor (its tool versions do not change call to call). */
function actorVersion(a: Actor, span: number): number {
  let h = 0;
  for (let i = 0; i < a.key.length; i++) h = (h * 31 + a.key.charCodeAt(i)) >>> 0;
  return h % span;
}

function userAgentFor(c: Ctx, op: OpDef, viaConsole: boolean): string {
  const a = c.actor;
  switch (a.client) {
    case 'service':
      return a.service ?? a.ips[0];
    case 'human':
      if (op.name === 'ConsoleLogin') return BROWSERS[actorVersion(a, BROWSERS.length)];
      if (viaConsole) return c.rng.chance(0.5) ? 'AWS Internal' : BROWSERS[actorVersion(a, BROWSERS.length)];
      return `aws-cli/2.15.${20 + actorVersion(a, 20)} Python/3.11.8 Darwin/23.3.0 exe/x86_64 prompt/off command/${op.svc === 'monitoring' ? 'cloudwatch' : op.svc}.${kebab(op.name)}`;
    case 'cli':
      return `aws-cli/2.15.30 Python/3.11.8 Linux/6.1.79-99.164.amzn2023.x86_64 exe/x86_64.amzn.2023 prompt/off command/${op.svc === 'monitoring' ? 'cloudwatch' : op.svc}.${kebab(op.name)}`;
    case 'terraform':
      return `APN/1.0 HashiCorp/1.0 Terraform/1.7.5 (+https://www.terraform.io) terraform-provider-aws/5.40.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.25.3 ua/2.0 os/linux lang/go#1.21.8 md/GOOS#linux md/GOARCH#amd64 api/${op.svc}#1.150.0`;
    case 'boto3':
      return `Boto3/1.34.${40 + actorVersion(a, 20)} md/Botocore#1.34.${40 + actorVersion(a, 20)} ua/2.0 os/linux#5.10.210-201.852.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.${40 + actorVersion(a, 20)}`;
    case 'java':
      return `aws-sdk-java/2.25.6 Linux/6.1.79-99.164.amzn2023.x86_64 OpenJDK_64-Bit_Server_VM/21.0.2+13-LTS Java/21.0.2 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/legacy`;
    case 'go':
      return `aws-sdk-go-v2/1.25.3 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64 api/${op.svc}#1.51.3`;
    case 'datadog':
      return `Datadog/1.0 Boto3/1.34.7 Python/3.11.4 Linux/5.10.205-195.807.amzn2.x86_64 Botocore/1.34.7`;
  }
}

interface Who {
  identity: unknown;
  callerArn: string;
  session?: string;
}

interface Session {
  accessKeyId: string;
  created: number;
  /** The userIdentity of this session, built once (records only serialize it). */
  who?: Who;
}

const tlsCache = new Map<string, unknown>();
/** tlsDetails objects are shared between records (they are only serialized, never mutated). */
function tlsDetails(host: string): unknown {
  let t = tlsCache.get(host);
  if (!t) {
    t = { tlsVersion: 'TLSv1.3', cipherSuite: TLS13, clientProvidedHostHeader: host };
    if (tlsCache.size < 10_000) tlsCache.set(host, t);
  }
  return t;
}

/** Builds one CloudTrail record with keys in the order AWS writes them. */
export function ctRecord(p: {
  version: string;
  identity: unknown;
  t: number;
  source: string;
  name: string;
  region: string;
  ip: string;
  ua: string;
  errorCode?: string;
  errorMessage?: string;
  req: unknown;
  res: unknown;
  extra?: unknown;
  requestID?: string;
  eventID: string;
  readOnly: boolean;
  resources?: unknown[];
  eventType: string;
  apiVersion?: string;
  management: boolean;
  acct: string;
  sharedEventID?: string;
  category: string;
  tlsHost?: string;
  console?: boolean;
}): CtRecord {
  return {
    eventVersion: p.version,
    userIdentity: p.identity,
    eventTime: isoFromUnixSeconds(p.t),
    eventSource: p.source,
    eventName: p.name,
    awsRegion: p.region,
    sourceIPAddress: p.ip,
    userAgent: p.ua,
    errorCode: p.errorCode,
    errorMessage: p.errorMessage,
    requestParameters: p.req === undefined ? null : p.req,
    responseElements: p.res === undefined ? null : p.res,
    additionalEventData: p.extra,
    requestID: p.requestID,
    eventID: p.eventID,
    readOnly: p.readOnly,
    resources: p.resources,
    eventType: p.eventType,
    apiVersion: p.apiVersion,
    managementEvent: p.management,
    recipientAccountId: p.acct,
    sharedEventID: p.sharedEventID,
    eventCategory: p.category,
    tlsDetails: p.tlsHost ? tlsDetails(p.tlsHost) : undefined,
    sessionCredentialFromConsole: p.console ? 'true' : undefined,
  };
}

function denialMessage(
  code: string,
  callerArn: string,
  op: { svc: string; name: string },
  region: string,
  acct: string,
  deniedOn: string | undefined,
  rng: Rng,
): string {
  const action = iamAction(op.svc, op.name);
  if (code === 'Client.UnauthorizedOperation') {
    return `You are not authorized to perform this operation. User: ${callerArn} is not authorized to perform: ${action} on resource: ${deniedOn ?? `arn:aws:ec2:${region}:${acct}:*`} because no identity-based policy allows the ${action} action. Encoded authorization failure message: ${b64(rng, 220).replace(/[+/]/g, '-')}`;
  }
  if (code === 'UnauthorizedOperation') return 'You are not authorized to perform this operation.';
  if (code === 'AccessDenied' && op.svc === 's3') return 'Access Denied';
  return `User: ${callerArn} is not authorized to perform: ${action} on resource: ${deniedOn ?? '*'} because no identity-based policy allows the ${action} action`;
}

/** Background CloudTrail activity for one account and region, driven by one random stream. */
export class CloudTrailBackground {
  private readonly actors: Weighted<Actor>;
  private readonly opsByActor = new Map<string, Weighted<OpDef>>();
  private readonly sessions = new Map<string, Session>();
  private readonly denials: Array<{ actor: Actor; op: OpDef; code: string }>;
  private readonly global: boolean;

  constructor(
    private readonly w: RegionWorld,
    private readonly rng: Rng,
  ) {
    this.global = w.region === GLOBAL_REGION;
    const actors: Array<[Actor, number]> = [];
    for (const actor of w.actors) {
      const prof = profileOf(actor);
      const ops: Array<[OpDef, number]> = [];
      for (const op of OPS) {
        const weight = op.who[prof];
        if (!weight) continue;
        if (op.global && !this.global) continue;
        if (op.when && !op.when(w)) continue;
        if (op.name === 'ConsoleLogin' && !actor.console) continue;
        ops.push([op, weight]);
      }
      if (ops.length === 0) continue;
      this.opsByActor.set(actor.key, new Weighted(ops));
      // Global-only actors (services that only assume roles) are rarer outside us-east-1 anyway.
      actors.push([actor, actor.weight]);
    }
    this.actors = new Weighted(actors);
    this.denials = [];
    for (const d of DENIALS[w.account.name]) {
      const actor = w.actors.find((a) => a.key === d.actor);
      const [svc, name] = d.op.split(':');
      const op = OPS.find((o) => o.svc === svc && o.name === name);
      if (!actor || !op || (op.global && !this.global)) continue;
      this.denials.push({ actor, op, code: d.code });
    }
  }

  private session(actor: Actor, sessionName: string, t: number): Session {
    const hour = Math.floor(t / HOUR);
    const key = `${actor.key}|${sessionName}|${hour}`;
    let s = this.sessions.get(key);
    if (!s) {
      if (this.sessions.size > 5000) this.sessions.clear();
      s = { accessKeyId: `ASIA${this.rng.upperAlnum(16)}`, created: hour * HOUR - this.rng.int(1, 20) * MINUTE };
      this.sessions.set(key, s);
    }
    return s;
  }

  private readonly fixedIdentities = new Map<string, Who>();

  private identity(actor: Actor, t: number, viaConsole: boolean): Who {
    const acct = this.w.account.id;
    if (actor.kind === 'role') {
      let sessionName: string;
      if (actor.instanceSessions) {
        const hosts = derived(this.w).workloadHosts;
        sessionName = hosts[this.rng.below(hosts.length)].instanceId;
      } else sessionName = this.rng.pick(actor.sessionNames ?? ['session']);
      const s = this.session(actor, sessionName, t);
      if (!s.who) {
        const arn = `arn:aws:sts::${acct}:assumed-role/${actor.roleName}/${sessionName}`;
        const sessionContext: Record<string, unknown> = {
          sessionIssuer: {
            type: 'Role',
            principalId: actor.principalId,
            arn: `arn:aws:iam::${acct}:role${actor.rolePath ?? '/'}${actor.roleName}`,
            accountId: acct,
            userName: actor.roleName,
          },
          attributes: { creationDate: isoFromUnixSeconds(s.created), mfaAuthenticated: 'false' },
        };
        if (actor.instanceSessions) sessionContext.ec2RoleDelivery = '2.0';
        s.who = {
          identity: {
            type: 'AssumedRole',
            principalId: `${actor.principalId}:${sessionName}`,
            arn,
            accountId: acct,
            accessKeyId: s.accessKeyId,
            sessionContext,
            invokedBy: actor.service,
          },
          callerArn: arn,
          session: sessionName,
        };
      }
      return s.who;
    }
    if (actor.kind === 'user' && viaConsole) {
      const s = this.session(actor, 'console', t);
      if (!s.who) {
        const arn = `arn:aws:iam::${acct}:user/${actor.userName}`;
        s.who = {
          identity: {
            type: 'IAMUser',
            principalId: actor.principalId,
            arn,
            accountId: acct,
            accessKeyId: s.accessKeyId,
            userName: actor.userName,
            sessionContext: { attributes: { creationDate: isoFromUnixSeconds(s.created), mfaAuthenticated: 'true' } },
          },
          callerArn: arn,
        };
      }
      return s.who;
    }
    let who = this.fixedIdentities.get(actor.key);
    if (!who) {
      if (actor.kind === 'service') who = { identity: { type: 'AWSService', invokedBy: actor.service }, callerArn: actor.service! };
      else if (actor.kind === 'account')
        who = {
          identity: { type: 'AWSAccount', principalId: actor.principalId, accountId: actor.externalAccount },
          callerArn: `arn:aws:iam::${actor.externalAccount}:root`,
        };
      else {
        const arn = `arn:aws:iam::${acct}:user/${actor.userName}`;
        who = {
          identity: {
            type: 'IAMUser',
            principalId: actor.principalId,
            arn,
            accountId: acct,
            accessKeyId: actor.accessKeyId,
            userName: actor.userName,
          },
          callerArn: arn,
        };
      }
      this.fixedIdentities.set(actor.key, who);
    }
    return who;
  }

  /** One background event at time t (Unix seconds). */
  event(t: number): CtRecord {
    const rng = this.rng;
    let actor: Actor;
    let op: OpDef;
    let denied: string | undefined;
    if (this.denials.length > 0 && rng.chance(DENY_RATE)) {
      const d = this.denials[rng.below(this.denials.length)];
      actor = d.actor;
      op = d.op;
      denied = d.code;
    } else {
      actor = this.actors.pick(rng);
      op = this.opsByActor.get(actor.key)!.pick(rng);
    }
    return this.render(actor, op, t, denied);
  }

  private render(actor: Actor, op: OpDef, t: number, denied?: string): CtRecord {
    const rng = this.rng;
    const w = this.w;
    const isService = actor.client === 'service';
    const viaConsole = actor.client === 'human' && op.name !== 'ConsoleLogin' && rng.chance(0.55);
    const who =
      op.name === 'ConsoleLogin'
        ? {
            identity: {
              type: 'IAMUser',
              principalId: actor.principalId,
              arn: `arn:aws:iam::${w.account.id}:user/${actor.userName}`,
              accountId: w.account.id,
              userName: actor.userName,
            },
            callerArn: '',
          }
        : this.identity(actor, t, viaConsole);
    const ctx: Ctx = { rng, w, actor, t, acct: w.account.id, region: w.region, callerArn: who.callerArn, session: who.session };
    const built: Built = op.build ? op.build(ctx) : {};
    const source = eventSource(op.svc);
    let errorCode: string | undefined;
    let errorMessage: string | undefined;
    let res = built.res;
    const resources = built.resources;
    if (denied) {
      errorCode = denied;
      errorMessage = denialMessage(denied, who.callerArn, op, w.region, w.account.id, built.deniedOn, rng);
      res = null;
    } else if (op.err && rng.chance(op.err.p)) {
      errorCode = op.err.code;
      errorMessage = op.err.msg;
      res = null;
    }
    const ip = rng.pick(actor.ips);
    const ua = userAgentFor(ctx, op, viaConsole);
    const s3 = op.svc === 's3';
    const tlsHost = isService
      ? undefined
      : (built.host ??
        (op.svc === 'iam' || op.svc === 'sts'
          ? `${op.svc}.amazonaws.com`
          : `${source.replace('.amazonaws.com', '')}.${w.region}.amazonaws.com`));
    const sts = op.svc === 'sts' && op.name === 'AssumeRole';
    return ctRecord({
      version: isService || sts ? '1.08' : op.data ? '1.10' : (EVENT_VERSION[op.svc] ?? '1.11'),
      identity: who.identity,
      t,
      source,
      name: op.name,
      region: w.region,
      ip,
      ua: s3 && ua.startsWith('aws-cli') ? `[${ua}]` : ua,
      errorCode,
      errorMessage,
      req: built.req,
      res,
      extra: built.extra,
      requestID: op.name === 'ConsoleLogin' ? undefined : s3 ? rng.upperAlnum(16) : rng.uuid(),
      eventID: rng.uuid(),
      readOnly: op.ro,
      resources,
      eventType: op.eventType ?? 'AwsApiCall',
      apiVersion: op.apiVersion,
      management: !op.data,
      acct: w.account.id,
      sharedEventID: sts && isService ? rng.uuid() : undefined,
      category: op.data ? 'Data' : 'Management',
      tlsHost,
      console: viaConsole && !isService ? true : undefined,
    });
  }
}

// ---------------------------------------------------------------------------
// Planted incidents
// ---------------------------------------------------------------------------

export interface TimedRecord {
  t: number;
  rec: CtRecord;
}

const malloryIdentity = {
  type: 'IAMUser',
  principalId: MALLORY.principalId,
  arn: MALLORY.arn,
  accountId: '111122223333',
  accessKeyId: MALLORY.accessKeyId,
  userName: MALLORY.userName,
};

function malloryCall(
  rng: Rng,
  t: number,
  svc: string,
  name: string,
  p: {
    req?: unknown;
    res?: unknown;
    ro: boolean;
    resources?: unknown[];
    extra?: unknown;
    errorCode?: string;
    errorMessage?: string;
    host?: string;
    version?: string;
    apiVersion?: string;
  },
): TimedRecord {
  const source = eventSource(svc);
  const s3 = svc === 's3';
  const host =
    p.host ?? (svc === 'iam' || svc === 'sts' ? `${svc}.amazonaws.com` : `${source.replace('.amazonaws.com', '')}.us-east-1.amazonaws.com`);
  return {
    t,
    rec: ctRecord({
      version: p.version ?? EVENT_VERSION[svc] ?? '1.11',
      identity: malloryIdentity,
      t,
      source,
      name,
      region: 'us-east-1',
      ip: MALLORY.sourceIPAddress,
      ua: MALLORY.userAgent,
      errorCode: p.errorCode,
      errorMessage: p.errorMessage,
      req: p.req ?? null,
      res: p.res ?? null,
      extra: p.extra,
      requestID: s3 ? rng.upperAlnum(16) : rng.uuid(),
      eventID: rng.uuid(),
      readOnly: p.ro,
      resources: p.resources,
      eventType: 'AwsApiCall',
      apiVersion: p.apiVersion,
      management: true,
      acct: '111122223333',
      category: 'Management',
      tlsHost: host,
    }),
  };
}

/** Mallory's reconnaissance: 40 denied calls over 22 APIs in 15 services. */
const RECON: Array<{ svc: string; name: string; code: string; on: string; req?: unknown; ro?: boolean }> = [
  { svc: 'iam', name: 'ListUsers', code: 'AccessDenied', on: 'arn:aws:iam::111122223333:user/' },
  { svc: 'iam', name: 'GetAccountAuthorizationDetails', code: 'AccessDenied', on: '*' },
  { svc: 'iam', name: 'ListRoles', code: 'AccessDenied', on: 'arn:aws:iam::111122223333:role/' },
  { svc: 's3', name: 'ListBuckets', code: 'AccessDenied', on: '*', req: { Host: 's3.us-east-1.amazonaws.com' } },
  {
    svc: 's3',
    name: 'GetBucketPolicy',
    code: 'AccessDenied',
    on: 'arn:aws:s3:::acme-prod-app-data',
    req: { bucketName: 'acme-prod-app-data', Host: 'acme-prod-app-data.s3.us-east-1.amazonaws.com', policy: '' },
  },
  {
    svc: 'ec2',
    name: 'DescribeInstances',
    code: 'Client.UnauthorizedOperation',
    on: 'arn:aws:ec2:us-east-1:111122223333:instance/*',
    req: { instancesSet: {}, filterSet: {} },
  },
  {
    svc: 'ec2',
    name: 'DescribeSnapshots',
    code: 'Client.UnauthorizedOperation',
    on: 'arn:aws:ec2:us-east-1:111122223333:snapshot/*',
    req: { snapshotSet: {}, ownersSet: { items: [{ owner: 'self' }] }, filterSet: {} },
  },
  {
    svc: 'ec2',
    name: 'GetPasswordData',
    code: 'UnauthorizedOperation',
    on: 'arn:aws:ec2:us-east-1:111122223333:instance/i-0a1b2c3d4e5f60718',
    req: { instanceId: 'i-0a1b2c3d4e5f60718' },
  },
  {
    svc: 'ec2',
    name: 'DescribeInstanceAttribute',
    code: 'UnauthorizedOperation',
    on: 'arn:aws:ec2:us-east-1:111122223333:instance/i-0a1b2c3d4e5f60718',
    req: { instanceId: 'i-0a1b2c3d4e5f60718', attribute: 'userData' },
  },
  { svc: 'secretsmanager', name: 'ListSecrets', code: 'AccessDeniedException', on: '*' },
  {
    svc: 'secretsmanager',
    name: 'GetSecretValue',
    code: 'AccessDeniedException',
    on: 'prod/postgres/app',
    req: { secretId: 'prod/postgres/app' },
  },
  { svc: 'kms', name: 'ListKeys', code: 'AccessDeniedException', on: '*', req: { limit: 1000 } },
  { svc: 'lambda', name: 'ListFunctions20150331', code: 'AccessDeniedException', on: '*' },
  { svc: 'rds', name: 'DescribeDBInstances', code: 'AccessDenied', on: 'arn:aws:rds:us-east-1:111122223333:db:*' },
  {
    svc: 'ssm',
    name: 'GetParametersByPath',
    code: 'AccessDeniedException',
    on: 'arn:aws:ssm:us-east-1:111122223333:parameter/prod',
    req: { path: '/prod', recursive: true, withDecryption: true },
  },
  { svc: 'dynamodb', name: 'ListTables', code: 'AccessDeniedException', on: 'arn:aws:dynamodb:us-east-1:111122223333:table/*' },
  { svc: 'guardduty', name: 'ListDetectors', code: 'AccessDeniedException', on: '*' },
  { svc: 'organizations', name: 'DescribeOrganization', code: 'AccessDeniedException', on: '*' },
  { svc: 'logs', name: 'DescribeLogGroups', code: 'AccessDenied', on: 'arn:aws:logs:us-east-1:111122223333:log-group::log-stream:' },
  { svc: 'sns', name: 'ListTopics', code: 'AccessDenied', on: 'arn:aws:sns:us-east-1:111122223333:*' },
  { svc: 'ecr', name: 'DescribeRepositories', code: 'AccessDeniedException', on: 'arn:aws:ecr:us-east-1:111122223333:repository/*' },
  { svc: 'elasticloadbalancing', name: 'DescribeLoadBalancers', code: 'AccessDenied', on: '*' },
];

/** The planted CloudTrail incidents that fall in this account and region (day = incident day). */
export function cloudTrailIncidents(w: RegionWorld, dayStart: number, rng: Rng): TimedRecord[] {
  const out: TimedRecord[] = [];
  if (w.region !== 'us-east-1') return out;
  if (w.account.id === '111122223333') {
    // 3. Reconnaissance: 40 denied calls, 13:02 to about 13:31.
    let t = dayStart + 13 * HOUR + 2 * MINUTE + 11;
    for (let i = 0; i < 40; i++) {
      const r = RECON[i % RECON.length];
      const s3 = r.svc === 's3';
      out.push(
        malloryCall(rng, t, r.svc, r.name, {
          ro: r.ro ?? true,
          req: r.req ?? null,
          errorCode: r.code,
          errorMessage: denialMessage(r.code, MALLORY.arn, r, 'us-east-1', '111122223333', r.on, rng),
          host: s3
            ? r.name === 'ListBuckets'
              ? 's3.us-east-1.amazonaws.com'
              : 'acme-prod-app-data.s3.us-east-1.amazonaws.com'
            : undefined,
          extra: s3 ? s3Extra(rng, 0, 243) : undefined,
          apiVersion: r.name.endsWith('20150331') ? '2015-03-31' : undefined,
        }),
      );
      t += 30 + rng.int(0, 30);
    }
    // 4. IAM persistence.
    const t4 = dayStart + 13 * HOUR + 40 * MINUTE + 12;
    const userId = 'AIDA' + 'SVCBACKUP2EXAMPLE'.padEnd(17, 'X');
    out.push(
      malloryCall(rng, t4, 'iam', 'CreateUser', {
        ro: false,
        req: { userName: INCIDENT.backdoorUser },
        res: {
          user: {
            path: '/',
            userName: INCIDENT.backdoorUser,
            userId,
            arn: `arn:aws:iam::111122223333:user/${INCIDENT.backdoorUser}`,
            createDate: javaDate(t4),
          },
        },
      }),
    );
    const t4b = t4 + 37;
    out.push(
      malloryCall(rng, t4b, 'iam', 'CreateAccessKey', {
        ro: false,
        req: { userName: INCIDENT.backdoorUser },
        res: {
          accessKey: { userName: INCIDENT.backdoorUser, accessKeyId: 'AKIASVCBACKUP2KEY001', status: 'Active', createDate: javaDate(t4b) },
        },
      }),
    );
    out.push(
      malloryCall(rng, t4b + 52, 'iam', 'AttachUserPolicy', {
        ro: false,
        req: { userName: INCIDENT.backdoorUser, policyArn: INCIDENT.adminPolicyArn },
      }),
    );
    // 6. Security group opened to the world on SSH.
    const t6 = dayStart + 13 * HOUR + 50 * MINUTE + 3;
    out.push(
      malloryCall(rng, t6, 'ec2', 'AuthorizeSecurityGroupIngress', {
        ro: false,
        req: {
          groupId: INCIDENT.openedSecurityGroup,
          ipPermissions: {
            items: [
              {
                ipProtocol: 'tcp',
                fromPort: 22,
                toPort: 22,
                groups: {},
                ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] },
                ipv6Ranges: {},
                prefixListIds: {},
              },
            ],
          },
        },
        res: {
          requestId: rng.uuid(),
          _return: true,
          securityGroupRuleSet: {
            items: [
              {
                groupOwnerId: '111122223333',
                groupId: INCIDENT.openedSecurityGroup,
                securityGroupRuleId: 'sgr-0badc0ffee0000022',
                isEgress: false,
                ipProtocol: 'tcp',
                fromPort: 22,
                toPort: 22,
                cidrIpv4: '0.0.0.0/0',
              },
            ],
          },
        },
      }),
    );
    // 2. Trail tampering.
    const t2 = dayStart + 14 * HOUR + 5 * MINUTE + 41;
    out.push(malloryCall(rng, t2, 'cloudtrail', 'StopLogging', { ro: false, req: { name: INCIDENT.trailArn } }));
    const t2b = t2 + 2 * MINUTE + 7;
    const flReq = rng.uuid();
    out.push(
      malloryCall(rng, t2b, 'ec2', 'DeleteFlowLogs', {
        ro: false,
        req: { DeleteFlowLogsRequest: { FlowLogId: { content: INCIDENT.deletedFlowLogId, tag: 1 } } },
        res: { DeleteFlowLogsResponse: { requestId: flReq, unsuccessful: '', xmlns: 'http://ec2.amazonaws.com/doc/2016-11-15/' } },
      }),
    );
    // 1. Destruction: failed TerminateInstances, then DeleteBucket.
    const t1 = dayStart + 14 * HOUR + 20 * MINUTE + 9;
    out.push(
      malloryCall(rng, t1, 'ec2', 'TerminateInstances', {
        ro: false,
        req: { instancesSet: { items: [{ instanceId: INCIDENT.terminateInstanceId }] } },
        errorCode: 'Client.UnauthorizedOperation',
        errorMessage: denialMessage(
          'Client.UnauthorizedOperation',
          MALLORY.arn,
          { svc: 'ec2', name: 'TerminateInstances' },
          'us-east-1',
          '111122223333',
          `arn:aws:ec2:us-east-1:111122223333:instance/${INCIDENT.terminateInstanceId}`,
          rng,
        ),
      }),
    );
    const t1b = dayStart + 14 * HOUR + 25 * MINUTE + 30;
    const bucket = INCIDENT.deletedBucket;
    out.push(
      malloryCall(rng, t1b, 's3', 'DeleteBucket', {
        ro: false,
        req: { bucketName: bucket, Host: `${bucket}.s3.us-east-1.amazonaws.com` },
        extra: s3Extra(rng, 0, 0),
        resources: [{ accountId: '111122223333', type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` }],
        host: `${bucket}.s3.us-east-1.amazonaws.com`,
      }),
    );
  }
  if (w.account.id === '444455556666') {
    // 5. Root console sign-in without MFA after three failures.
    const acct = '444455556666';
    const root = { type: 'Root', principalId: acct, arn: `arn:aws:iam::${acct}:root`, accountId: acct, accessKeyId: '' };
    const ua = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
    const loginTo =
      'https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&state=hashArgsFromTB_us-east-1_7c1e5b2a9d3f4e60';
    const times = [9 * HOUR + 57 * MINUTE + 10, 9 * HOUR + 58 * MINUTE + 2, 9 * HOUR + 59 * MINUTE + 31, 10 * HOUR + MINUTE + 5];
    times.forEach((off, i) => {
      const t = dayStart + off;
      const ok = i === times.length - 1;
      out.push({
        t,
        rec: ctRecord({
          version: '1.09',
          identity: root,
          t,
          source: 'signin.amazonaws.com',
          name: 'ConsoleLogin',
          region: 'us-east-1',
          ip: INCIDENT.rootLoginIp,
          ua,
          errorMessage: ok ? undefined : 'Failed authentication',
          req: null,
          res: { ConsoleLogin: ok ? 'Success' : 'Failure' },
          extra: { LoginTo: loginTo, MobileVersion: 'No', MFAUsed: 'No' },
          eventID: rng.uuid(),
          readOnly: false,
          eventType: 'AwsConsoleSignIn',
          management: true,
          acct,
          category: 'Management',
          tlsHost: 'signin.aws.amazon.com',
        }),
      });
    });
  }
  return out;
}
