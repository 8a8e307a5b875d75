/**
 * `npm run bench`: casebook's local engine against the physical limit and against what
 * an analyst would otherwise type, on sample lakes of 100k to 5M CloudTrail events and
 * 1M to 10M flow records. Prints ONE table of ratios measured in the same run: every
 * measurement is repeated (interleaved, so a noisy neighbour hits all of them alike)
 * and the median taken. See bench/RESULTS.md.
 *
 *   npm run bench [-- --quick] [--reps N] [--cache DIR]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { generateSampleLake } from '../src/sample/generate.js';
import { discoverFiles } from '../src/engines/duckdb/lake.js';
import { defaultStoreDir } from '../src/engines/duckdb/engine.js';
import { importLake } from '../src/store/import.js';
import { STORE_MANIFEST } from '../src/store/manifest.js';
import { windowDays } from '../src/layout/days.js';
import { MALLORY } from '../src/sample/world.js';
import { END_DATE, LAKES, SEED, lakeDir, readyLake, type BenchLake } from './lakes.js';

// bench/ from source (tsx) or dist/bench/ when compiled.
const here = import.meta.dirname;
const projectRoot = existsSync(join(here, '../package.json')) ? resolve(here, '..') : resolve(here, '../..');
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const reps = argv.includes('--reps') ? Number(argv[argv.indexOf('--reps') + 1]) : 3;
const cache = resolve(argv.includes('--cache') ? argv[argv.indexOf('--cache') + 1]! : join(projectRoot, '.casebook/bench'));
const nproc = cpus().length;
const child = join(projectRoot, 'dist/bench/child.js');
const work = join(cache, 'work');
mkdirSync(work, { recursive: true });

const log = (m: string) => process.stderr.write(`${m}\n`);

interface Sample {
  wall: number;
  cpu: number;
  rssMb: number;
  out: string;
}

/** Run a command under /usr/bin/time: wall and CPU seconds, peak RSS, stdout. */
function measure(cmd: string[], shell = false): Sample {
  const timeFile = join(work, 'time.txt');
  const args = ['-o', timeFile, '-f', '%e %U %S %M', ...(shell ? ['sh', '-c', cmd[0]!] : cmd)];
  const r = spawnSync('/usr/bin/time', args, { encoding: 'utf8', maxBuffer: 1 << 30, cwd: projectRoot });
  if (r.status !== 0) throw new Error(`${cmd.join(' ').slice(0, 200)} failed (${r.status}): ${r.stderr.slice(-800)}`);
  const [e, u, s, m] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
  return { wall: e!, cpu: u! + s!, rssMb: m! / 1024, out: r.stdout };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

interface Variant {
  name: string;
  cmd: string[];
  shell?: boolean;
  reps?: number;
}

/** Interleaved repetitions of each variant; medians. */
function compare(variants: Variant[]): Map<string, { wall: number; cpu: number; rssMb: number; out: string }> {
  const samples = new Map<string, Sample[]>(variants.map((v) => [v.name, []]));
  const most = Math.max(...variants.map((v) => v.reps ?? reps));
  for (let i = 0; i < most; i++) {
    for (const v of variants) {
      if (i >= (v.reps ?? reps)) continue;
      const s = measure(v.cmd, v.shell);
      samples.get(v.name)!.push(s);
      log(`  ${v.name}: ${s.wall.toFixed(2)} s wall, ${s.cpu.toFixed(2)} s cpu, ${s.rssMb.toFixed(0)} MB`);
    }
  }
  const out = new Map<string, { wall: number; cpu: number; rssMb: number; out: string }>();
  for (const [name, ss] of samples)
    out.set(name, {
      wall: median(ss.map((s) => s.wall)),
      cpu: median(ss.map((s) => s.cpu)),
      rssMb: Math.max(...ss.map((s) => s.rssMb)),
      out: ss[0]!.out,
    });
  return out;
}

async function ensureLake(l: BenchLake): Promise<{ dir: string; events: number; flows: number }> {
  const dir = lakeDir(cache, l);
  let s = readyLake(dir, l);
  if (!s) {
    log(`generating ${l.name} (${l.label}) in ${dir} ...`);
    const r = await generateSampleLake({ out: dir, days: l.days, scale: l.scale, seed: SEED, endDate: END_DATE });
    s = { cloudtrailEvents: r.cloudtrailEvents, flowRecords: r.flowRecords, cloudtrailFiles: r.cloudtrailFiles, flowFiles: r.flowFiles };
  }
  const store = defaultStoreDir(dir);
  log(`importing ${l.name} into ${store} (incremental) ...`);
  const imp = await importLake({ lake: dir, store, onProgress: () => undefined });
  log(`  ${imp.converted} partitions converted, ${imp.unchanged} unchanged, ${imp.seconds.toFixed(1)} s`);
  return { dir, events: s.cloudtrailEvents, flows: s.flowRecords };
}

function lakeWindow(l: BenchLake): { since: string; until: string } {
  const end = new Date(`${END_DATE}T00:00:00Z`).getTime() + 86_400_000;
  return { since: new Date(end - l.days * 86_400_000).toISOString(), until: new Date(end).toISOString() };
}

function fileList(
  dir: string,
  table: string,
  w: { since: string; until: string },
  name: string,
): { path: string; count: number; bytes: number } {
  const files = discoverFiles(dir, table, { since: new Date(w.since), until: new Date(w.until) });
  const path = join(work, `${name}-${table}.list`);
  writeFileSync(path, files.map((f) => f.path).join('\n') + '\n');
  return { path, count: files.length, bytes: files.reduce((s, f) => s + f.size, 0) };
}

function casebookCmd(
  dir: string,
  w: { since: string; until: string },
  store: boolean,
  spec: { query?: string; params?: object; sql?: string; table?: string },
): string[] {
  const cmd = [
    'node',
    child,
    '--lake',
    dir,
    ...(store ? ['--store', defaultStoreDir(dir)] : ['--no-store']),
    '--since',
    w.since,
    '--until',
    w.until,
  ];
  if (spec.query) cmd.push('--query', spec.query, '--params', JSON.stringify(spec.params ?? {}));
  else cmd.push('--sql', spec.sql!, '--table', spec.table!);
  return cmd;
}

function dayPredicate(w: { since: string; until: string }): string {
  const { first, last } = windowDays({ since: new Date(w.since), until: new Date(w.until) });
  return `day BETWEEN '${first}' AND '${last}'`;
}

interface Row {
  lake: string;
  query: string;
  rows: string;
  raw: number;
  rawCpu: number;
  zcat: number;
  zcatCpu: number;
  tool?: number;
  toolName: string;
  store: number;
  rssMb: number;
  storeRssMb: number;
  same: string;
}
const table: Row[] = [];

const ct = (rows: string) => JSON.parse(rows) as { rows: Record<string, unknown>[]; stats: { filesRead?: number; notes?: string[] } };

/** The jq program for the window, in every CloudTrail jq pipeline. */
function jqWindow(w: { since: string; until: string }): string {
  const iso = (s: string) => s.replace(/\.\d{3}Z$/, 'Z');
  return `.Records[] | select(.eventTime >= "${iso(w.since)}" and .eventTime < "${iso(w.until)}")`;
}

function cloudtrailRows(l: BenchLake, dir: string, events: number): void {
  const w = lakeWindow(l);
  const list = fileList(dir, 'cloudtrail', w, l.name);
  log(`${l.name}: CloudTrail, ${list.count} files, ${(list.bytes / 1e6).toFixed(0)} MB gzipped`);
  const zcat: Variant = { name: 'zcat', cmd: [`xargs -a ${list.path} -P ${nproc} -n 256 zcat > /dev/null`], shell: true };
  const jqReps = events > 1_500_000 ? 1 : reps;
  const queries: {
    label: string;
    spec: Parameters<typeof casebookCmd>[3];
    jq: string;
    check: (casebook: string, tool: string) => boolean;
  }[] = [
    {
      label: 'full scan: count(*)',
      spec: {
        sql: `SELECT count(*) AS events FROM cloudtrail WHERE ${dayPredicate(w)} AND eventtime >= '${w.since.replace(/\.\d{3}Z$/, 'Z')}' AND eventtime < '${w.until.replace(/\.\d{3}Z$/, 'Z')}'`,
        table: 'cloudtrail',
      },
      jq: `xargs -a ${list.path} -n 256 zcat | jq -n 'reduce (inputs | ${jqWindow(w)}) as $r (0; . + 1)'`,
      check: (c, t) => Number(ct(c).rows[0]!.events) === Number(t.trim()),
    },
    {
      label: 'selective: principal-activity',
      spec: { query: 'principal-activity', params: { principal: MALLORY.userName, limit: 100000 } },
      jq: `xargs -a ${list.path} -n 256 zcat | jq -r '${jqWindow(w)} | select(.userIdentity as $u | ($u.arn == "P") or ($u.userName == "P") or (($u.arn // "") | split("/") | last) == "P" or ($u.principalId == "P") or (($u.principalId // "") | endswith(":P")) or ($u.sessionContext.sessionIssuer.arn == "P") or ($u.sessionContext.sessionIssuer.userName == "P") or ($u.accessKeyId == "P") or ($u.invokedBy == "P")) | .eventID' | sort`
        .replace(/"P"/g, JSON.stringify(MALLORY.userName))
        .replace(/":P"/g, JSON.stringify(`:${MALLORY.userName}`)),
      check: (c, t) =>
        JSON.stringify(
          ct(c)
            .rows.map((r) => String(r.eventid))
            .sort(),
        ) === JSON.stringify(t.trim().split('\n').filter(Boolean).sort()),
    },
    {
      label: 'aggregation: access-denied',
      spec: { query: 'access-denied', params: { limit: 100000 } },
      jq: `xargs -a ${list.path} -n 256 zcat | jq -r '${jqWindow(w)} | select(.errorCode != null and ((.errorCode | IN("AccessDenied", "AccessDeniedException", "Client.UnauthorizedOperation", "UnauthorizedOperation", "UnauthorizedAccess", "UnauthorizedException", "AuthorizationError", "AuthorizationErrorException", "AuthorizationException", "NotAuthorized", "NotAuthorizedException", "Forbidden", "ForbiddenException", "AccessDeniedFault", "InsufficientPermissionsException", "InsufficientPrivilegesException", "Client.AuthFailure", "AuthFailure")) or (.errorCode | test("accessdenied|unauthorized|notauthorized|forbidden"; "i")))) | (.userIdentity.arn // .userIdentity.invokedBy // .userIdentity.principalId // .userIdentity.type)' | sort | uniq -c`,
      check: (c, t) => {
        const mine = new Map<string, number>();
        for (const r of ct(c).rows) mine.set(String(r.principal), (mine.get(String(r.principal)) ?? 0) + Number(r.denied_calls));
        const theirs = new Map(
          t
            .trim()
            .split('\n')
            .filter(Boolean)
            .map((line) => {
              const m = /^\s*(\d+) (.*)$/.exec(line)!;
              return [m[2]!, Number(m[1])] as const;
            }),
        );
        return mine.size === theirs.size && [...mine].every(([k, v]) => theirs.get(k) === v);
      },
    },
  ];
  let first = true;
  for (const q of queries) {
    log(`${l.name}: ${q.label}`);
    const variants: Variant[] = [
      { name: 'raw', cmd: casebookCmd(dir, w, false, q.spec) },
      { name: 'store', cmd: casebookCmd(dir, w, true, q.spec) },
      { name: 'jq', cmd: [q.jq], shell: true, reps: jqReps },
    ];
    if (first) variants.push(zcat);
    const m = compare(variants);
    if (first) zcatResult = m.get('zcat')!;
    first = false;
    const raw = m.get('raw')!;
    const store = m.get('store')!;
    if (q.label.startsWith('full scan')) rawScans.set(`${l.name}:cloudtrail`, raw);
    const sameStore = JSON.stringify(ct(raw.out).rows) === JSON.stringify(ct(store.out).rows);
    const usedStore = (ct(store.out).stats.notes ?? []).some((n) => n.startsWith('read the Parquet store'));
    const sameTool = q.check(raw.out, m.get('jq')!.out);
    table.push({
      lake: l.label,
      query: q.label,
      rows: `${ct(raw.out).rows.length}`,
      raw: raw.wall,
      rawCpu: raw.cpu,
      zcat: zcatResult!.wall,
      zcatCpu: zcatResult!.cpu,
      tool: m.get('jq')!.wall,
      toolName: `jq${jqReps === 1 ? ' (1 run)' : ''}`,
      store: store.wall,
      rssMb: raw.rssMb,
      storeRssMb: store.rssMb,
      same: `${sameTool ? 'yes' : 'NO'} / ${sameStore && usedStore ? 'yes' : usedStore ? 'NO' : 'store not used'}`,
    });
  }
}
let zcatResult: { wall: number; cpu: number } | undefined;
/** The raw full scan (count(*)) of each lake and table, for the import row. */
const rawScans = new Map<string, { wall: number; cpu: number }>();

/** The awk program's column lookup: each file's header line names its fields. */
const AWK_HEAD = `$1 == "version" || $1 == "account-id" { for (i = 1; i <= NF; i++) c[$i] = i; next }`;

function flowRows(l: BenchLake, dir: string, flows: number): void {
  const w = lakeWindow(l);
  const s0 = Date.parse(w.since) / 1000;
  const s1 = Date.parse(w.until) / 1000;
  const list = fileList(dir, 'vpc_flow_logs', w, l.name);
  log(`${l.name}: flow logs, ${list.count} files, ${(list.bytes / 1e6).toFixed(0)} MB gzipped`);
  const toolReps = flows > 5_000_000 ? 1 : reps;
  const inWindow = `$c["start"] >= ${s0} && $c["start"] < ${s1}`;
  const queries: {
    label: string;
    spec: Parameters<typeof casebookCmd>[3];
    awk: string;
    check: (casebook: string, tool: string) => boolean;
  }[] = [
    {
      label: 'full scan: count(*)',
      spec: {
        sql: `SELECT count(*) AS flows FROM vpc_flow_logs WHERE ${dayPredicate(w)} AND start >= ${s0} AND start < ${s1}`,
        table: 'vpc_flow_logs',
      },
      awk: `xargs -a ${list.path} -n 256 zcat | mawk '${AWK_HEAD} ${inWindow} { n++ } END { print n + 0 }'`,
      check: (c, t) => Number(ct(c).rows[0]!.flows) === Number(t.trim()),
    },
    {
      label: 'selective: rejected-traffic --port 22',
      spec: { query: 'rejected-traffic', params: { port: 22, limit: 100000 } },
      awk: `xargs -a ${list.path} -n 256 zcat | mawk '${AWK_HEAD} ${inWindow} && $c["action"] == "REJECT" && $c["dstport"] == 22 { k = $c["srcaddr"] " " $c["dstaddr"] " " $c["protocol"]; n[k]++ } END { for (k in n) print k, n[k] }'`,
      check: (c, t) => {
        const mine = ct(c)
          .rows.map((r) => `${r.srcaddr} ${r.dstaddr} ${r.protocol} ${r.flows}`)
          .sort();
        return JSON.stringify(mine) === JSON.stringify(t.trim().split('\n').filter(Boolean).sort());
      },
    },
    {
      label: 'aggregation: top-talkers',
      spec: { query: 'top-talkers', params: { limit: 10 } },
      awk: `xargs -a ${list.path} -n 256 zcat | mawk '${AWK_HEAD} ${inWindow} && $c["log-status"] == "OK" && $c["srcaddr"] != "-" { k = $c["srcaddr"] " " $c["dstaddr"]; b[k] += $c["bytes"] } END { for (k in b) printf "%s %.0f\\n", k, b[k] }' | sort -k3,3nr -k1,1 -k2,2 | head -10`,
      check: (c, t) => {
        const mine = ct(c).rows.map((r) => `${r.srcaddr} ${r.dstaddr} ${r.bytes}`);
        const theirs = t.trim().split('\n');
        // Equal byte totals may sort differently (casebook breaks ties by packets): compare as sets.
        return JSON.stringify([...mine].sort()) === JSON.stringify([...theirs].sort());
      },
    },
  ];
  let first = true;
  for (const q of queries) {
    log(`${l.name}: ${q.label}`);
    const variants: Variant[] = [
      { name: 'raw', cmd: casebookCmd(dir, w, false, q.spec) },
      { name: 'store', cmd: casebookCmd(dir, w, true, q.spec) },
      { name: 'awk', cmd: [q.awk], shell: true, reps: toolReps },
    ];
    if (first) variants.push({ name: 'zcat', cmd: [`xargs -a ${list.path} -P ${nproc} -n 256 zcat > /dev/null`], shell: true });
    const m = compare(variants);
    if (first) zcatResult = m.get('zcat')!;
    first = false;
    const raw = m.get('raw')!;
    const store = m.get('store')!;
    if (q.label.startsWith('full scan')) rawScans.set(`${l.name}:vpc_flow_logs`, raw);
    const usedStore = (ct(store.out).stats.notes ?? []).some((n) => n.startsWith('read the Parquet store'));
    const sameStore = JSON.stringify(ct(raw.out).rows) === JSON.stringify(ct(store.out).rows);
    table.push({
      lake: l.label.replace(/^.*\/ /, ''),
      query: q.label,
      rows: `${ct(raw.out).rows.length}`,
      raw: raw.wall,
      rawCpu: raw.cpu,
      zcat: zcatResult!.wall,
      zcatCpu: zcatResult!.cpu,
      tool: m.get('awk')!.wall,
      toolName: `awk${toolReps === 1 ? ' (1 run)' : ''}`,
      store: store.wall,
      rssMb: raw.rssMb,
      storeRssMb: store.rssMb,
      same: `${q.check(raw.out, m.get('awk')!.out) ? 'yes' : 'NO'} / ${sameStore && usedStore ? 'yes' : usedStore ? 'NO' : 'store not used'}`,
    });
  }
}

const x = (a: number, b: number) => `${(a / b).toFixed(2)}x`;

async function main(): Promise<void> {
  if (!existsSync(child)) throw new Error(`${child} is missing: run \`npm run build\` first (npm run bench does)`);
  const lakes = LAKES.filter((l) => !quick || l.quick);
  const imports: string[] = [];
  /** A fresh import of the tables the lake's rows scanned, in its own process, against one raw full scan of each. */
  function importRow(l: BenchLake, dir: string, scans: Map<string, { wall: number; cpu: number }>): void {
    const tables = [...scans.keys()].filter((k) => k.startsWith(`${l.name}:`)).map((k) => k.slice(l.name.length + 1));
    const store = join(work, `import-${l.name}`);
    log(`${l.name}: fresh import of ${tables.join(', ')}`);
    const m = compare([
      {
        name: 'import',
        cmd: [`rm -rf ${store} && node bin/casebook.js import --quiet --lake ${dir} --store ${store} --table ${tables.join(' ')}`],
        shell: true,
        reps: 1,
      },
    ]).get('import')!;
    const manifest = JSON.parse(readFileSync(join(store, STORE_MANIFEST), 'utf8')) as {
      tables: Record<string, { partitions: Record<string, { bytes: number; files: Record<string, [number, number]> }> }>;
    };
    let parquet = 0;
    let gzip = 0;
    for (const t of Object.values(manifest.tables)) {
      for (const p of Object.values(t.partitions)) {
        parquet += p.bytes;
        for (const [size] of Object.values(p.files)) gzip += size;
      }
    }
    const scan = [...scans.entries()].filter(([k]) => k.startsWith(`${l.name}:`)).map(([, v]) => v);
    const scanWall = scan.reduce((a, b) => a + b.wall, 0);
    const scanCpu = scan.reduce((a, b) => a + b.cpu, 0);
    imports.push(
      `| \`casebook import --table ${tables.join(' ')}\`, ${l.label} (fresh store) vs one raw full scan (count(*)) of each | ${m.wall.toFixed(1)} s wall, ${m.cpu.toFixed(1)} s cpu, ${m.rssMb.toFixed(0)} MB; scans ${scanWall.toFixed(1)} s wall, ${scanCpu.toFixed(1)} s cpu | ${x(m.wall, scanWall)} wall, ${x(m.cpu, scanCpu)} cpu (target <= 1.5x) |`,
    );
    imports.push(
      `| Parquet store size vs raw gzip, ${l.label} | ${(parquet / 1e6).toFixed(1)} MB vs ${(gzip / 1e6).toFixed(1)} MB | ${x(parquet, gzip)} (target <= 0.4x) |`,
    );
  }
  const extras: string[] = [];
  for (const l of lakes) {
    const { dir, events, flows } = await ensureLake(l);
    if (l.name.startsWith('ct-') || l.name.startsWith('big')) cloudtrailRows(l, dir, events);
    if (l.name.startsWith('flow-') || l.name.startsWith('big')) flowRows(l, dir, flows);
    importRow(l, dir, rawScans);
    if (l.days >= 30) {
      // One day of a 30-day lake against the whole month, same full-scan query.
      const w30 = lakeWindow(l);
      const day = { since: '2024-03-15T00:00:00.000Z', until: '2024-03-16T00:00:00.000Z' };
      const sql = (w: { since: string; until: string }) =>
        `SELECT count(*) AS events FROM cloudtrail WHERE ${dayPredicate(w)} AND eventtime >= '${w.since.replace(/\.\d{3}Z$/, 'Z')}' AND eventtime < '${w.until.replace(/\.\d{3}Z$/, 'Z')}'`;
      log(`${l.name}: 1-day window against 30 days`);
      const m = compare([
        { name: '1 day', cmd: casebookCmd(dir, day, false, { sql: sql(day), table: 'cloudtrail' }) },
        { name: '30 days', cmd: casebookCmd(dir, w30, false, { sql: sql(w30), table: 'cloudtrail' }) },
      ]);
      const one = ct(m.get('1 day')!.out).stats.filesRead!;
      const all = ct(m.get('30 days')!.out).stats.filesRead!;
      extras.push(
        `| 1-day window on the 30-day lake (raw CloudTrail, count(*)) | ${one} of ${all} files (${((100 * one) / all).toFixed(1)} %: the day and its slack day) | ${x(m.get('1 day')!.wall, m.get('30 days')!.wall)} of the 30-day scan's time (target < 0.20x) |`,
      );
    }
  }
  // Commands that run no query: the whole process against node itself (target <= 2x).
  const render = ['render', 'principal-activity', '--principal', 'mallory', '--since', '7d'];
  const cliReps = Math.max(reps, 5);
  const cli = compare([
    { name: 'node -e 0', cmd: ['node', '-e', '0'], reps: cliReps },
    { name: '--help', cmd: ['node', 'bin/casebook.js', '--help'], reps: cliReps },
    { name: 'list', cmd: ['node', 'bin/casebook.js', 'list'], reps: cliReps },
    { name: 'render', cmd: ['node', 'bin/casebook.js', ...render], reps: cliReps },
  ]);
  const node = cli.get('node -e 0')!;
  for (const name of ['--help', 'list', 'render']) {
    const m = cli.get(name)!;
    extras.push(
      `| \`casebook ${name === 'render' ? render.join(' ') : name}\` vs \`node -e 0\` | ${(m.wall * 1000).toFixed(0)} ms wall, ${(m.cpu * 1000).toFixed(0)} ms cpu, ${m.rssMb.toFixed(0)} MB; node: ${(node.wall * 1000).toFixed(0)} ms wall, ${(node.cpu * 1000).toFixed(0)} ms cpu | ${x(m.wall, node.wall)} wall, ${x(m.cpu, node.cpu)} cpu (target <= 2x) |`,
    );
  }
  extras.push(...imports);

  const lines: string[] = [];
  lines.push(
    `casebook bench, ${new Date().toISOString().slice(0, 16)}Z: ${cpus()[0]?.model ?? 'cpu'} x ${nproc}, ${(totalmem() / 2 ** 30).toFixed(0)} GB, node ${process.version}; median of ${reps} interleaved runs${quick ? ' (--quick)' : ''}`,
  );
  lines.push('');
  lines.push(
    '| lake | query | rows | casebook raw (s) | ÷ all-core zcat (wall) | ÷ zcat (cpu) | jq/awk ÷ casebook | raw ÷ Parquet store | peak RSS raw / store (MB) | same answer: tool / store |',
  );
  lines.push('|---|---|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const r of table) {
    lines.push(
      `| ${r.lake} | ${r.query} | ${r.rows} | ${r.raw.toFixed(2)} | ${x(r.raw, r.zcat)} | ${x(r.rawCpu, r.zcatCpu)} | ${r.tool !== undefined ? `${x(r.tool, r.raw)} (${r.toolName})` : ''} | ${x(r.raw, r.store)} | ${r.rssMb.toFixed(0)} / ${r.storeRssMb.toFixed(0)} | ${r.same} |`,
    );
  }
  lines.push('');
  lines.push('| also | measured | |');
  lines.push('|---|---|---|');
  lines.push(...extras);
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
void execFileSync;
