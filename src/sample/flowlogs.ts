/**
 * VPC Flow Log records: background traffic of the sample world and the
 * planted network incidents, written in the default v2 format or in a custom
 * v5 format whose field order differs (readers must map fields by header).
 */
import { Rng, Weighted } from './random.js';
import { HOUR, MINUTE } from './time.js';
import { INCIDENT, SERVICE_RANGES, randomPublicIp, randomPublicIpv6, type Host, type RegionWorld } from './world.js';

export const V2_FIELDS = [
  'version',
  'account-id',
  'interface-id',
  'srcaddr',
  'dstaddr',
  'srcport',
  'dstport',
  'protocol',
  'packets',
  'bytes',
  'start',
  'end',
  'action',
  'log-status',
] as const;

/** The custom format of the prod account: v5 fields in AWS's "custom order" example, then the v4/v5 extras. */
export const V5_FIELDS = [
  'version',
  'vpc-id',
  'subnet-id',
  'instance-id',
  'interface-id',
  'account-id',
  'type',
  'srcaddr',
  'dstaddr',
  'srcport',
  'dstport',
  'pkt-srcaddr',
  'pkt-dstaddr',
  'protocol',
  'bytes',
  'packets',
  'start',
  'end',
  'action',
  'tcp-flags',
  'log-status',
  'region',
  'az-id',
  'sublocation-type',
  'sublocation-id',
  'pkt-src-aws-service',
  'pkt-dst-aws-service',
  'flow-direction',
  'traffic-path',
] as const;

export function flowFields(format: 'v2' | 'v5'): readonly string[] {
  return format === 'v5' ? V5_FIELDS : V2_FIELDS;
}

/** One planted flow record, with the end time that decides its file. */
export interface TimedLine {
  end: number;
  line: string;
}

const MAX_RECORD_BYTES = 400_000_000;

type Dir = 'ingress' | 'egress';

/**
 * One flow record as a text line, fields in the order of V2_FIELDS or V5_FIELDS.
 * Written out by hand (positional arguments, no intermediate objects) because it
 * runs millions of times; test/sample.test.ts checks every line against its header.
 * `path` is the egress traffic-path code; `pktSrc` the original source behind a NAT.
 */
function line(
  w: RegionWorld,
  h: Host,
  src: string,
  dst: string,
  sport: number,
  dport: number,
  proto: number,
  packets: number,
  bytes: number,
  start: number,
  end: number,
  action: 'ACCEPT' | 'REJECT',
  flags: number,
  dir: Dir,
  path: number,
  pktSrc: string,
  srcSvc: string,
  dstSvc: string,
): string {
  if (w.account.flowFormat !== 'v5') {
    return `2 ${w.account.id} ${h.eni} ${src} ${dst} ${sport} ${dport} ${proto} ${packets} ${bytes} ${start} ${end} ${action} OK`;
  }
  const type = src.includes(':') ? 'IPv6' : 'IPv4';
  return `5 ${w.vpcId} ${h.subnetId} ${h.instanceId} ${h.eni} ${w.account.id} ${type} ${src} ${dst} ${sport} ${dport} ${pktSrc || src} ${dst} ${proto} ${bytes} ${packets} ${start} ${end} ${action} ${proto === 6 ? flags : 0} OK ${w.region} ${h.azId} - - ${srcSvc} ${dstSvc} ${dir} ${dir === 'egress' ? path : '-'}`;
}

/** NODATA / SKIPDATA: '-' from srcaddr through action (and for the per-packet v3-v5 fields). */
function statusLine(w: RegionWorld, h: Host, status: 'NODATA' | 'SKIPDATA', start: number, end: number): string {
  if (w.account.flowFormat !== 'v5') return `2 ${w.account.id} ${h.eni} - - - - - - - ${start} ${end} - ${status}`;
  return `5 ${w.vpcId} ${h.subnetId} ${h.instanceId} ${h.eni} ${w.account.id} - - - - - - - - - - ${start} ${end} - - ${status} ${w.region} ${h.azId} - - - - - -`;
}

const SCAN_PORTS = [22, 23, 25, 80, 111, 135, 139, 445, 1433, 2375, 3306, 3389, 5060, 5432, 5900, 6379, 8080, 8443, 9200, 11211, 27017];

/** Kinds of background traffic (numbers, for a cheap switch). */
const K = { EastWest: 0, Egress: 1, Egress6: 2, Service: 3, Inbound: 4, Reject: 5, Ntp: 6, NoData: 7, SkipData: 8 } as const;
type Kind = (typeof K)[keyof typeof K];

/** Background flow records for one account and region. */
export class FlowBackground {
  private readonly kinds: Weighted<Kind>;
  private readonly clients: Host[];
  private readonly egressHosts: Host[];
  private readonly v6Hosts: Host[];
  private readonly elbs: Host[];
  private readonly publicHosts: Host[];
  private readonly idle: Host[];
  private readonly nat: Host | undefined;
  private readonly apps: Host[];
  private readonly dbs: Host[];
  private readonly caches: Host[];
  private readonly internet: string[];
  private readonly internet6: string[];
  private readonly ntp: string[];
  // Scratch results of size() and times(), to avoid allocating in the hot loop.
  private b = 0;
  private p = 0;
  private t0 = 0;
  private t1 = 0;

  constructor(
    private readonly w: RegionWorld,
    private readonly rng: Rng,
  ) {
    const h = w.hosts;
    const role = (...roles: string[]): Host[] => h.filter((x) => roles.includes(x.role));
    this.clients = role('web', 'app', 'worker', 'bastion');
    this.egressHosts = role('web', 'app', 'worker', 'bastion', 'backup');
    this.v6Hosts = h.filter((x) => x.ipv6);
    this.elbs = role('elb');
    this.publicHosts = role('elb', 'bastion', 'nat');
    this.idle = role('idle');
    this.nat = h.find((x) => x.role === 'nat');
    this.apps = role('app');
    this.dbs = role('db');
    this.caches = role('cache');
    // Destinations are part of the fixed world (seed-independent), like the hosts.
    const world = new Rng(`internet|${w.account.id}|${w.region}`);
    this.internet = Array.from({ length: 160 }, () => randomPublicIp(world));
    this.internet6 = Array.from({ length: 24 }, () => randomPublicIpv6(world));
    this.ntp = Array.from({ length: 4 }, () => randomPublicIp(world));
    this.kinds = new Weighted<Kind>([
      [K.EastWest, 0.32],
      [K.Egress, 0.2],
      [K.Egress6, this.v6Hosts.length ? 0.03 : 0],
      [K.Service, 0.14],
      [K.Inbound, 0.17],
      [K.Reject, 0.08],
      [K.Ntp, 0.02],
      [K.NoData, this.idle.length ? 0.035 : 0],
      [K.SkipData, 0.0008],
    ]);
  }

  private times(winStart: number): void {
    const rng = this.rng;
    this.t1 = winStart + rng.below(300);
    this.t0 = this.t1 - (rng.chance(0.75) ? rng.below(60) : 60 + rng.below(540));
  }

  private size(median: number, sigma: number): void {
    this.b = Math.max(40, Math.min(MAX_RECORD_BYTES, Math.round(this.rng.lognormal(median, sigma))));
    this.p = Math.max(1, Math.round(this.b / (500 + this.rng.below(900))));
  }

  private eph(): number {
    return 32768 + this.rng.below(28232);
  }

  private clientFlags(): number {
    return CLIENT_FLAGS[this.rng.below(CLIENT_FLAGS.length)];
  }

  private serverFlags(): number {
    return SERVER_FLAGS[this.rng.below(SERVER_FLAGS.length)];
  }

  /** Appends n records whose end falls in [winStart, winStart + 300). */
  window(winStart: number, n: number, out: string[]): void {
    const rng = this.rng;
    const w = this.w;
    const target = out.length + n;
    while (out.length < target) {
      const kind = this.kinds.pick(rng);
      this.times(winStart);
      const start = this.t0;
      const end = this.t1;
      switch (kind) {
        case K.EastWest: {
          const client = rng.pick(this.clients);
          let server: Host;
          let dport: number;
          if (client.role === 'web') {
            server = rng.pick(this.apps);
            dport = 8080;
          } else if (client.role === 'bastion') {
            server = rng.pick(this.apps);
            dport = 22;
          } else {
            const r = rng.next();
            if (r < 0.5) {
              server = rng.pick(this.dbs);
              dport = 5432;
            } else if (r < 0.8) {
              server = rng.pick(this.caches);
              dport = 6379;
            } else {
              server = rng.pick(this.apps);
              dport = 8080;
            }
          }
          if (server === client) break;
          const sport = this.eph();
          this.size(4000, 1.5);
          const qb = this.b;
          const qp = this.p;
          this.size(20000, 1.8);
          const rb = this.b;
          const rp = this.p;
          out.push(
            line(
              w,
              client,
              client.ip,
              server.ip,
              sport,
              dport,
              6,
              qp,
              qb,
              start,
              end,
              'ACCEPT',
              this.clientFlags(),
              'egress',
              1,
              '',
              '-',
              '-',
            ),
          );
          if (out.length < target)
            out.push(
              line(
                w,
                client,
                server.ip,
                client.ip,
                dport,
                sport,
                6,
                rp,
                rb,
                start,
                end,
                'ACCEPT',
                this.serverFlags(),
                'ingress',
                0,
                '',
                '-',
                '-',
              ),
            );
          if (rng.chance(0.5) && out.length + 1 < target) {
            out.push(
              line(
                w,
                server,
                client.ip,
                server.ip,
                sport,
                dport,
                6,
                qp,
                qb,
                start,
                end,
                'ACCEPT',
                this.clientFlags(),
                'ingress',
                0,
                '',
                '-',
                '-',
              ),
            );
            out.push(
              line(
                w,
                server,
                server.ip,
                client.ip,
                dport,
                sport,
                6,
                rp,
                rb,
                start,
                end,
                'ACCEPT',
                this.serverFlags(),
                'egress',
                1,
                '',
                '-',
                '-',
              ),
            );
          }
          break;
        }
        case K.Egress: {
          const host = rng.pick(this.egressHosts);
          const dst = rng.pick(this.internet);
          const sport = this.eph();
          this.size(2500, 1.4);
          const qb = this.b;
          const qp = this.p;
          this.size(18000, 2.0);
          out.push(line(w, host, host.ip, dst, sport, 443, 6, qp, qb, start, end, 'ACCEPT', this.clientFlags(), 'egress', 8, '', '-', '-'));
          if (out.length < target)
            out.push(
              line(
                w,
                host,
                dst,
                host.ip,
                443,
                sport,
                6,
                this.p,
                this.b,
                start,
                end,
                'ACCEPT',
                this.serverFlags(),
                'ingress',
                0,
                '',
                '-',
                '-',
              ),
            );
          if (this.nat && host.role !== 'bastion' && rng.chance(0.35) && out.length < target) {
            const natPort = 1024 + rng.below(64000);
            out.push(
              line(
                w,
                this.nat,
                this.nat.ip,
                dst,
                natPort,
                443,
                6,
                qp,
                qb,
                start,
                end,
                'ACCEPT',
                this.clientFlags(),
                'egress',
                8,
                host.ip,
                '-',
                '-',
              ),
            );
          }
          break;
        }
        case K.Egress6: {
          const host = rng.pick(this.v6Hosts);
          const src = host.ipv6!;
          const dst = rng.pick(this.internet6);
          const sport = this.eph();
          this.size(2000, 1.3);
          const qb = this.b;
          const qp = this.p;
          this.size(15000, 1.8);
          out.push(line(w, host, src, dst, sport, 443, 6, qp, qb, start, end, 'ACCEPT', this.clientFlags(), 'egress', 8, '', '-', '-'));
          if (out.length < target)
            out.push(
              line(w, host, dst, src, 443, sport, 6, this.p, this.b, start, end, 'ACCEPT', this.serverFlags(), 'ingress', 0, '', '-', '-'),
            );
          break;
        }
        case K.Service: {
          const host = rng.pick(this.egressHosts);
          const ranges = SERVICE_RANGES[w.region];
          const r = rng.next();
          const svc = r < 0.65 ? 'S3' : r < 0.92 ? 'DYNAMODB' : 'AMAZON';
          const prefix = rng.pick(svc === 'S3' ? ranges.s3 : svc === 'DYNAMODB' ? ranges.dynamodb : ranges.amazon);
          const dst = prefix.split('.').length === 3 ? `${prefix}.${rng.int(1, 254)}` : `${prefix}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
          const sport = this.eph();
          // The backup host writes large objects to S3 (spread over S3's many addresses).
          const heavy = host.role === 'backup' && svc === 'S3';
          if (heavy) this.size(25_000_000, 1.0);
          else this.size(6000, 1.8);
          const ub = this.b;
          const up = this.p;
          this.size(heavy ? 40_000 : 60_000, 2.0);
          const path = svc === 'AMAZON' ? 8 : 7;
          out.push(
            line(w, host, host.ip, dst, sport, 443, 6, up, ub, start, end, 'ACCEPT', this.clientFlags(), 'egress', path, '', '-', svc),
          );
          if (out.length < target)
            out.push(
              line(
                w,
                host,
                dst,
                host.ip,
                443,
                sport,
                6,
                this.p,
                this.b,
                start,
                end,
                'ACCEPT',
                this.serverFlags(),
                'ingress',
                0,
                '',
                svc,
                '-',
              ),
            );
          break;
        }
        case K.Inbound: {
          const elb = rng.pick(this.elbs);
          const client = randomPublicIp(rng);
          const sport = 1024 + rng.below(64000);
          this.size(1800, 1.2);
          const qb = this.b;
          const qp = this.p;
          this.size(30000, 1.9);
          out.push(
            line(w, elb, client, elb.ip, sport, 443, 6, qp, qb, start, end, 'ACCEPT', this.clientFlags(), 'ingress', 0, '', '-', '-'),
          );
          if (out.length < target)
            out.push(
              line(
                w,
                elb,
                elb.ip,
                client,
                443,
                sport,
                6,
                this.p,
                this.b,
                start,
                end,
                'ACCEPT',
                this.serverFlags(),
                'egress',
                8,
                '',
                '-',
                '-',
              ),
            );
          break;
        }
        case K.Reject: {
          const target2 = rng.pick(this.publicHosts);
          const src = randomPublicIp(rng);
          const r = rng.next();
          const packets = rng.chance(0.8) ? 1 : 2;
          const bytes = packets * (40 + rng.below(24));
          if (r < 0.88)
            out.push(
              line(
                w,
                target2,
                src,
                target2.ip,
                1024 + rng.below(64000),
                SCAN_PORTS[rng.below(SCAN_PORTS.length)],
                6,
                packets,
                bytes,
                start,
                end,
                'REJECT',
                2,
                'ingress',
                0,
                '',
                '-',
                '-',
              ),
            );
          else if (r < 0.96)
            out.push(line(w, target2, src, target2.ip, 0, 0, 1, packets, bytes, start, end, 'REJECT', 0, 'ingress', 0, '', '-', '-'));
          else
            out.push(
              line(
                w,
                target2,
                src,
                target2.ip,
                1024 + rng.below(64000),
                UDP_PORTS[rng.below(UDP_PORTS.length)],
                17,
                packets,
                bytes,
                start,
                end,
                'REJECT',
                0,
                'ingress',
                0,
                '',
                '-',
                '-',
              ),
            );
          break;
        }
        case K.Ntp: {
          const host = rng.pick(this.egressHosts);
          const dst = rng.pick(this.ntp);
          const sport = this.eph();
          out.push(line(w, host, host.ip, dst, sport, 123, 17, 1, 76, start, end, 'ACCEPT', 0, 'egress', 8, '', '-', '-'));
          if (out.length < target)
            out.push(line(w, host, dst, host.ip, 123, sport, 17, 1, 76, start, end, 'ACCEPT', 0, 'ingress', 0, '', '-', '-'));
          break;
        }
        case K.NoData:
          out.push(statusLine(w, rng.pick(this.idle), 'NODATA', end - 60 - rng.below(540), end));
          break;
        case K.SkipData:
          out.push(statusLine(w, rng.pick(this.clients), 'SKIPDATA', end - 60 - rng.below(540), end));
          break;
      }
    }
  }
}

const CLIENT_FLAGS = [3, 3, 3, 3, 2, 1, 0];
const SERVER_FLAGS = [19, 19, 19, 18, 1, 0];
const UDP_PORTS = [53, 123, 161, 1900, 5060];

// ---------------------------------------------------------------------------
// Planted network incidents (account 111122223333, us-east-1)
// ---------------------------------------------------------------------------

function incidentHost(w: RegionWorld, ip: string, eni: string, instanceId: string, third: number): Host {
  const subnet = w.subnets.find((s) => s.third === third)!;
  return { eni, ip, instanceId, role: 'app', subnetId: subnet.id, azId: w.azs[subnet.az].id };
}

/** All planted flow records of the incident day, in no particular order. */
export function flowIncidents(w: RegionWorld, dayStart: number, scale: number, rng: Rng): TimedLine[] {
  if (w.account.id !== '111122223333' || w.region !== 'us-east-1') return [];
  const out: TimedLine[] = [];
  const target = incidentHost(w, INCIDENT.targetHost, INCIDENT.targetEni, INCIDENT.targetInstance, 1);
  const exfil = incidentHost(w, INCIDENT.exfilHost, INCIDENT.exfilEni, INCIDENT.exfilInstance, 2);

  // 7a. Port scan: 300 distinct ports, all rejected, 02:10 to 02:22.
  const ports = new Set<number>(SCAN_PORTS);
  while (ports.size < 300) ports.add(rng.int(1, 10000));
  const scanPorts = rng.shuffle([...ports].slice(0, 300));
  const scanStart = dayStart + 2 * HOUR + 10 * MINUTE;
  const scanSport = 40000 + rng.below(20000);
  scanPorts.forEach((port, i) => {
    const end = scanStart + Math.floor((i * 12 * MINUTE) / scanPorts.length) + rng.below(3);
    out.push({
      end,
      line: line(
        w,
        target,
        INCIDENT.scannerIp,
        INCIDENT.targetHost,
        scanSport,
        port,
        6,
        1,
        44,
        end - rng.below(5),
        end,
        'REJECT',
        2,
        'ingress',
        0,
        '',
        '-',
        '-',
      ),
    });
  });

  // 7b. SSH brute force: 500 rejected flows to port 22, 02:40 to 03:40.
  const bruteStart = dayStart + 2 * HOUR + 40 * MINUTE;
  for (let i = 0; i < 500; i++) {
    const end = bruteStart + Math.floor((i * HOUR) / 500) + rng.below(4);
    const packets = rng.int(1, 3);
    out.push({
      end,
      line: line(
        w,
        target,
        INCIDENT.bruteForceIp,
        INCIDENT.targetHost,
        32768 + rng.below(28000),
        22,
        6,
        packets,
        packets * 60,
        end - rng.below(20),
        end,
        'REJECT',
        2,
        'ingress',
        0,
        '',
        '-',
        '-',
      ),
    });
  }
  // ... then accepted RDP sessions from the same address, 03:50 to 05:50.
  const rdpStart = dayStart + 3 * HOUR + 50 * MINUTE;
  for (let i = 0; i < 24; i++) {
    const end = rdpStart + i * 5 * MINUTE + rng.below(240);
    const start = end - 60 - rng.below(200);
    const sport = 49152 + rng.below(16000);
    const inBytes = rng.int(40_000, 400_000);
    const outBytes = rng.int(500_000, 6_000_000);
    out.push({
      end,
      line: line(
        w,
        target,
        INCIDENT.bruteForceIp,
        INCIDENT.targetHost,
        sport,
        3389,
        6,
        Math.ceil(inBytes / 600),
        inBytes,
        start,
        end,
        'ACCEPT',
        3,
        'ingress',
        0,
        '',
        '-',
        '-',
      ),
    });
    out.push({
      end,
      line: line(
        w,
        target,
        INCIDENT.targetHost,
        INCIDENT.bruteForceIp,
        3389,
        sport,
        6,
        Math.ceil(outBytes / 1300),
        outBytes,
        start,
        end,
        'ACCEPT',
        19,
        'egress',
        8,
        '',
        '-',
        '-',
      ),
    });
  }

  // 8. Exfiltration over the whole day: exactly exfilBytesAtScale1 * max(1, scale) bytes out.
  const total = Math.round(INCIDENT.exfilBytesAtScale1 * Math.max(1, scale));
  const pieces: Array<{ end: number; weight: number }> = [];
  for (let win = 0; win < 288; win++) {
    const k = rng.int(1, 3);
    for (let j = 0; j < k; j++) pieces.push({ end: dayStart + win * 300 + rng.below(300), weight: 0.5 + rng.next() });
  }
  const sum = pieces.reduce((a, p) => a + p.weight, 0);
  let left = total;
  pieces.forEach((p, i) => {
    const bytes = i === pieces.length - 1 ? left : Math.floor((total * p.weight) / sum);
    left -= bytes;
    const sport = 32768 + rng.below(28000);
    const start = p.end - 20 - rng.below(40);
    out.push({
      end: p.end,
      line: line(
        w,
        exfil,
        INCIDENT.exfilHost,
        INCIDENT.exfilDest,
        sport,
        443,
        6,
        Math.ceil(bytes / 1400),
        bytes,
        start,
        p.end,
        'ACCEPT',
        0,
        'egress',
        8,
        '',
        '-',
        '-',
      ),
    });
    const ack = Math.max(52, Math.round(bytes / 48));
    out.push({
      end: p.end,
      line: line(
        w,
        exfil,
        INCIDENT.exfilDest,
        INCIDENT.exfilHost,
        443,
        sport,
        6,
        Math.ceil(ack / 52),
        ack,
        start,
        p.end,
        'ACCEPT',
        0,
        'ingress',
        0,
        '',
        '-',
        '-',
      ),
    });
  });
  return out;
}
