/**
 * `npm run bench`: every row of issue 14's table, each measured in the same run against
 * its baseline (`node -e 0`, a bare @duckdb/node-api script over the same files, zcat on
 * every core, the awk and jq pipelines an analyst would type, one raw full scan), with
 * peak memory, on sample lakes of 600k and 5M CloudTrail events and 10M flow records.
 * Every measurement is a separate process under /usr/bin/time (wall, CPU = user + system
 * of the process and its children, peak RSS); variants of one row are interleaved, so a
 * noisy neighbour hits all of them alike, and the median taken. Prints one table: what,
 * measured, target, met or missed. See bench/RESULTS.md.
 *
 *   npm run bench -- [--reps N] [--cache DIR] [--only cold,run,scan,jq,window,import]
 *                    [--lakes 600k,5m,10m] [--quick]
 *
 * --quick uses the small lakes instead (100k events, 1M events, 1M flow records).
 * Lakes are generated once into the cache (default .casebook/bench) and shared; each run
 * works in its own folder under <cache>/work/, removed at the end.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { discoverFiles } from '../src/engines/duckdb/lake.js';
import { windowDays } from '../src/layout/days.js';
import { generateSampleLake } from '../src/sample/generate.js';
import { STORE_MANIFEST } from '../src/store/manifest.js';
import { END_DATE, LAKES, SEED, type BenchLake, lakeDir, readyLake } from './lakes.js';

// bench/ from source (tsx) or dist/bench/ when compiled.
const here = import.meta.dirname;
const projectRoot = existsSync(join(here, '../package.json')) ? resolve(here, '..') : resolve(here, '../..');

const SECTIONS = ['cold', 'run', 'scan', 'jq', 'window', 'import'] as const;
const ROLES = ['600k', '5m', '10m'] as const;
type Role = (typeof ROLES)[number];

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const v = process.argv[i + 1];
  if (v === undefined || v.startsWith('--')) throw new Error(`--${name} needs a value`);
  return v;
}
function listFlag<T extends string>(name: string, all: readonly T[]): Set<T> {
  const v = flag(name);
  if (v === undefined) return new Set(all);
  const picked = v.split(',').map((s) => s.trim().toLowerCase());
  for (const p of picked) if (!all.includes(p as T)) throw new Error(`--${name}: unknown ${p} (one of ${all.join(', ')})`);
  return new Set(picked as T[]);
}

const quick = process.argv.includes('--quick');
const reps = Number(flag('reps') ?? 3);
if (!Number.isInteger(reps) || reps < 1) throw new Error('--reps must be a whole number >= 1');
const only = listFlag('only', SECTIONS);
const roles = listFlag('lakes', ROLES);
const cache = resolve(flag('cache') ?? join(projectRoot, '.casebook/bench'));
const nproc = cpus().length;
const child = join(projectRoot, 'dist/bench/child.js');
const bare = join(projectRoot, 'dist/bench/bare.js');
const cli = ['node', join(projectRoot, 'bin/casebook.js')];
/** This run's own folder: lists, time files, fresh stores (the cache is shared). */
const work = join(cache, 'work', `run-${process.pid}`);
mkdirSync(work, { recursive: true });

const log = (m: string) => process.stderr.write(`${m}\n`);

/** The lake behind each role. */
function lakeFor(role: Role): BenchLake {
  const name = quick
    ? { '600k': 'ct-100k', '5m': 'ct-1m', '10m': 'flow-1m' }[role]
    : { '600k': 'ct-600k', '5m': 'big-30d', '10m': 'big-30d' }[role];
  return LAKES.find((l) => l.name === name)!;
}
const roleLabel = (role: Role) =>
  quick
    ? { '600k': '100k events', '5m': '1M events', '10m': '1M flows' }[role]
    : { '600k': '600k events', '5m': '5M events', '10m': '10M flows' }[role];

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
interface Result {
  wall: number;
  cpu: number;
  /** Fastest run's CPU time. */
  minCpu: number;
  rssMb: number;
  runs: number;
  out: string;
}

/** Interleaved repetitions of each variant; medians (and the highest peak RSS). */
function compare(variants: Variant[]): Map<string, Result> {
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
  const out = new Map<string, Result>();
  for (const [name, ss] of samples)
    out.set(name, {
      wall: median(ss.map((s) => s.wall)),
      cpu: median(ss.map((s) => s.cpu)),
      minCpu: Math.min(...ss.map((s) => s.cpu)),
      rssMb: Math.max(...ss.map((s) => s.rssMb)),
      runs: ss.length,
      out: ss[0]!.out,
    });
  return out;
}

async function ensureLake(l: BenchLake): Promise<string> {
  const dir = lakeDir(cache, l);
  if (!readyLake(dir, l)) {
    log(`generating ${l.name} (${l.label}) in ${dir} ...`);
    await generateSampleLake({ out: dir, days: l.days, scale: l.scale, seed: SEED, endDate: END_DATE });
  }
  return dir;
}

interface Window {
  since: string;
  until: string;
}
function lakeWindow(l: BenchLake): Window {
  const end = new Date(`${END_DATE}T00:00:00Z`).getTime() + 86_400_000;
  return { since: new Date(end - l.days * 86_400_000).toISOString(), until: new Date(end).toISOString() };
}
const isoSec = (s: string) => s.replace(/\.\d{3}Z$/, 'Z');

/** The files casebook's discovery yields for the window, one path a line. */
function fileList(dir: string, table: string, w: Window, name: string): { path: string; count: number; bytes: number } {
  const files = discoverFiles(dir, table, { since: new Date(w.since), until: new Date(w.until) });
  const path = join(work, `${name}-${table}.list`);
  writeFileSync(path, `${files.map((f) => f.path).join('\n')}\n`);
  return { path, count: files.length, bytes: files.reduce((s, f) => s + f.size, 0) };
}

function dayPredicate(w: Window): string {
  const { first, last } = windowDays({ since: new Date(w.since), until: new Date(w.until) });
  return `day BETWEEN '${first}' AND '${last}'`;
}

/** The engine path without the CLI (dist/bench/child.js): a SQL statement over one table. */
function childCmd(dir: string, w: Window, store: string | false, sql: string, table: string): string[] {
  return [
    'node',
    child,
    '--lake',
    dir,
    ...(store ? ['--store', store] : ['--no-store']),
    '--since',
    w.since,
    '--until',
    w.until,
    '--sql',
    sql,
    '--table',
    table,
  ];
}
const countSql = (w: Window) =>
  `SELECT count(*) AS events FROM cloudtrail WHERE ${dayPredicate(w)} AND eventtime >= '${isoSec(w.since)}' AND eventtime < '${isoSec(w.until)}'`;
const flowCountSql = (w: Window) =>
  `SELECT count(*) AS flows FROM vpc_flow_logs WHERE ${dayPredicate(w)} AND start >= ${Date.parse(w.since) / 1000} AND start < ${Date.parse(w.until) / 1000}`;

/** The real CLI: `casebook run QUERY ... --format json`. */
function cliRun(dir: string, w: Window, store: string | false, query: string, params: string[]): string[] {
  return [
    ...cli,
    'run',
    query,
    '--lake',
    dir,
    ...(store ? ['--store', store] : ['--no-store']),
    '--since',
    w.since,
    '--until',
    w.until,
    ...params,
    '--format',
    'json',
    '--quiet',
  ];
}
const zcatCmd = (list: string) => `xargs -a ${list} -P ${nproc} -n 256 zcat > /dev/null`;
type Rows = Record<string, unknown>[];
const childRows = (out: string) => (JSON.parse(out) as { rows: Rows }).rows;

/** principal -> denied calls, from casebook's or the bare script's rows. */
function deniedMap(rows: Rows): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of rows) m.set(String(r.principal), (m.get(String(r.principal)) ?? 0) + Number(r.denied_calls));
  return m;
}
const sameMap = (a: Map<string, number>, b: Map<string, number>) => a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);

/** The jq pipeline for access-denied: denied calls per principal, `uniq -c` output. */
function jqAccessDenied(list: string, w: Window): string {
  return `xargs -a ${list} -n 256 zcat | jq -r '.Records[] | select(.eventTime >= "${isoSec(w.since)}" and .eventTime < "${isoSec(w.until)}") | select(.errorCode != null and ((.errorCode | IN("AccessDenied", "AccessDeniedException", "Client.UnauthorizedOperation", "UnauthorizedOperation", "UnauthorizedAccess", "UnauthorizedException", "AuthorizationError", "AuthorizationErrorException", "AuthorizationException", "NotAuthorized", "NotAuthorizedException", "Forbidden", "ForbiddenException", "AccessDeniedFault", "InsufficientPermissionsException", "InsufficientPrivilegesException", "Client.AuthFailure", "AuthFailure")) or (.errorCode | test("accessdenied|unauthorized|notauthorized|forbidden"; "i")))) | (.userIdentity.arn // .userIdentity.invokedBy // .userIdentity.principalId // .userIdentity.type)' | sort | uniq -c`;
}
function uniqMap(out: string): Map<string, number> {
  return new Map(
    out
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const m = /^\s*(\d+) (.*)$/.exec(line)!;
        return [m[2]!, Number(m[1])] as const;
      }),
  );
}

/** The awk program's column lookup: each file's header line names its fields. */
const AWK_HEAD = `$1 == "version" || $1 == "account-id" { for (i = 1; i <= NF; i++) c[$i] = i; next }`;
function awkTopTalkers(list: string, w: Window): string {
  const inWindow = `$c["start"] >= ${Date.parse(w.since) / 1000} && $c["start"] < ${Date.parse(w.until) / 1000}`;
  return `xargs -a ${list} -n 256 zcat | mawk '${AWK_HEAD} ${inWindow} && $c["log-status"] == "OK" && $c["srcaddr"] != "-" { k = $c["srcaddr"] " " $c["dstaddr"]; b[k] += $c["bytes"] } END { for (k in b) printf "%s %.0f\\n", k, b[k] }' | sort -k3,3nr -k1,1 -k2,2 | head -10`;
}

// ---- the table ----

interface Row {
  what: string;
  measured: string;
  target: string;
  status: string;
}
const table: Row[] = [];
const rowsFile = join(work, 'rows.md');
function addRow(r: Row): void {
  table.push(r);
  const line = `| ${r.what} | ${r.measured} | ${r.target} | ${r.status} |`;
  log(`ROW ${line}`);
  writeFileSync(rowsFile, `${table.map((t) => `| ${t.what} | ${t.measured} | ${t.target} | ${t.status} |`).join('\n')}\n`);
}
const x = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
const s2 = (v: number) => `${v.toFixed(2)} s`;
const wc = (r: Result) => `${s2(r.wall)} wall / ${s2(r.cpu)} cpu`;
const met = (ok: boolean) => (ok ? '**met**' : '**missed**');
/** Where wall and CPU time disagree, say so: wall is what the analyst waits, CPU what a loaded machine measures best. */
const metBoth = (wallOk: boolean, cpuOk: boolean) =>
  wallOk === cpuOk ? met(wallOk) : `${met(wallOk)} on wall time, ${met(cpuOk)} on CPU time`;
/** "cpu ratio (wall ratio)" of a against b. */
const ratio = (a: Result, b: Result) => `${x(a.cpu, b.cpu)} cpu (${x(a.wall, b.wall)} wall)`;

/** Runs a section, recording a failure as a row so that the rest of the run goes on. */
async function section(name: string, fn: () => Promise<void> | void): Promise<void> {
  log(`== ${name}`);
  try {
    await fn();
  } catch (err) {
    addRow({
      what: name,
      measured: `failed: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`,
      target: '',
      status: 'not measured',
    });
  }
}

/** Raw count(*) full scans measured in this run, by role: the import rows' baseline. */
const countScans = new Map<Role, Result>();

// ---- the sections ----

function coldRows(): void {
  const render = ['render', 'principal-activity', '--principal', 'mallory', '--since', '7d'];
  const coldReps = Math.max(9, reps);
  const m = compare([
    { name: 'node -e 0', cmd: ['node', '-e', '0'], reps: coldReps },
    { name: '--help', cmd: [...cli, '--help'], reps: coldReps },
    { name: 'list', cmd: [...cli, 'list'], reps: coldReps },
    { name: 'render', cmd: [...cli, ...render], reps: coldReps },
  ]);
  const node = m.get('node -e 0')!;
  const parts: string[] = [];
  let worst = 0;
  for (const name of ['--help', 'list', 'render']) {
    const r = m.get(name)!;
    worst = Math.max(worst, r.cpu / node.cpu);
    parts.push(
      `\`${name}\` ${x(r.cpu, node.cpu)} cpu, min ${x(r.minCpu, node.minCpu)} (${s2(r.cpu)}; ${x(r.wall, node.wall)} wall, ${r.rssMb.toFixed(0)} MB)`,
    );
  }
  addRow({
    what: `\`casebook --help\`, \`list\`, \`render\` vs \`node -e 0\` (median of ${coldReps}; node ${s2(node.cpu)} cpu, ${s2(node.wall)} wall)`,
    measured: parts.join('; '),
    target: '≤ 2x',
    status: met(worst <= 2),
  });
}

async function runVsBareRow(): Promise<void> {
  const l = lakeFor('600k');
  const dir = await ensureLake(l);
  const w = lakeWindow(l);
  const list = fileList(dir, 'cloudtrail', w, l.name);
  const m = compare([
    { name: 'casebook run access-denied', cmd: cliRun(dir, w, false, 'access-denied', ['--limit', '100000']), reps: Math.max(reps, 3) },
    { name: 'bare duckdb script', cmd: ['node', bare, list.path, w.since, w.until], reps: Math.max(reps, 3) },
  ]);
  const run = m.get('casebook run access-denied')!;
  const b = m.get('bare duckdb script')!;
  const same = sameMap(deniedMap(JSON.parse(run.out) as Rows), deniedMap(JSON.parse(b.out) as Rows));
  addRow({
    what: `\`casebook run access-denied --no-store\` vs a bare @duckdb/node-api script over the same files, ${roleLabel('600k')} in ${list.count.toLocaleString('en')} files`,
    measured: `${ratio(run, b)}: ${wc(run)} vs ${wc(b)}; same answer: ${same ? 'yes' : 'NO'}`,
    target: '≤ 1.1x',
    status: met(run.cpu / b.cpu <= 1.1),
  });
}

async function cloudtrailScanRows(role: '600k' | '5m', withWindow: boolean): Promise<void> {
  const l = lakeFor(role);
  const dir = await ensureLake(l);
  const w = lakeWindow(l);
  const list = fileList(dir, 'cloudtrail', w, l.name);
  log(`${l.name}: CloudTrail, ${list.count} files, ${(list.bytes / 1e6).toFixed(0)} MB gzipped`);
  // One day in the middle of the lake, the same query (the 1-day-window row).
  const dayStart = new Date(Date.parse(w.until) - Math.ceil(l.days / 2) * 86_400_000).toISOString();
  const day: Window = { since: dayStart, until: new Date(Date.parse(dayStart) + 86_400_000).toISOString() };
  const variants: Variant[] = [{ name: 'casebook raw count(*)', cmd: childCmd(dir, w, false, countSql(w), 'cloudtrail') }];
  if (only.has('scan')) variants.push({ name: 'zcat', cmd: [zcatCmd(list.path)], shell: true });
  if (withWindow) variants.push({ name: '1 day', cmd: childCmd(dir, day, false, countSql(day), 'cloudtrail') });
  const m = compare(variants);
  const raw = m.get('casebook raw count(*)')!;
  countScans.set(role, raw);
  const events = Number(childRows(raw.out)[0]!.events);
  if (only.has('scan')) {
    const z = m.get('zcat')!;
    const target = role === '600k' ? 1.3 : 1.1;
    addRow({
      what: `full raw CloudTrail scan (count(*), engine path) vs \`zcat\` on ${nproc} cores, same files: ${roleLabel(role)} (${events.toLocaleString('en')} events, ${list.count.toLocaleString('en')} files, ${(list.bytes / 1e6).toFixed(0)} MB)`,
      measured: `${ratio(raw, z)}: ${wc(raw)} vs ${wc(z)}`,
      target: `≤ ${target}x`,
      status: met(raw.cpu / z.cpu <= target),
    });
    if (role === '5m')
      addRow({
        what: `peak memory, ${roleLabel(role)} full raw scan`,
        measured: `${raw.rssMb.toFixed(0)} MB max RSS (${raw.runs} run${raw.runs === 1 ? '' : 's'})`,
        target: '< 1 GB',
        status: met(raw.rssMb < 1024),
      });
  }
  if (withWindow) {
    const one = m.get('1 day')!;
    const dayFiles = discoverFiles(dir, 'cloudtrail', { since: new Date(day.since), until: new Date(day.until) }).length;
    addRow({
      what: `1-day window (${day.since.slice(0, 10)}) vs the ${l.days}-day scan, ${roleLabel(role)}, raw count(*)`,
      measured: `${x(one.wall, raw.wall)} wall (${x(one.cpu, raw.cpu)} cpu): ${wc(one)} vs ${wc(raw)}; ${dayFiles.toLocaleString('en')} of ${list.count.toLocaleString('en')} files (the day and its slack)`,
      target: '≤ 0.08x',
      status: metBoth(one.wall / raw.wall <= 0.08, one.cpu / raw.cpu <= 0.08),
    });
  }
}

async function flowScanRows(): Promise<void> {
  const l = lakeFor('10m');
  const dir = await ensureLake(l);
  const w = lakeWindow(l);
  const list = fileList(dir, 'vpc_flow_logs', w, l.name);
  log(`${l.name}: flow logs, ${list.count} files, ${(list.bytes / 1e6).toFixed(0)} MB gzipped`);
  const awkReps = quick ? reps : 1;
  const m = compare([
    { name: 'casebook run top-talkers', cmd: cliRun(dir, w, false, 'top-talkers', ['--limit', '10']) },
    { name: 'zcat', cmd: [zcatCmd(list.path)], shell: true },
    { name: 'awk', cmd: [awkTopTalkers(list.path, w)], shell: true, reps: awkReps },
  ]);
  const raw = m.get('casebook run top-talkers')!;
  const z = m.get('zcat')!;
  const awk = m.get('awk')!;
  const mine = (JSON.parse(raw.out) as Rows).map((r) => `${r.srcaddr} ${r.dstaddr} ${r.bytes}`).sort();
  // Equal byte totals may sort differently (casebook breaks ties by packets): compare as sets.
  const same = JSON.stringify(mine) === JSON.stringify(awk.out.trim().split('\n').sort());
  addRow({
    what: `full raw flow-log scan (\`casebook run top-talkers --no-store\`) vs \`zcat\` on ${nproc} cores, ${roleLabel('10m')} in ${list.count.toLocaleString('en')} files (${(list.bytes / 1e6).toFixed(0)} MB)`,
    measured: `${ratio(raw, z)}: ${wc(raw)} vs ${wc(z)}`,
    target: '≤ 1.5x',
    status: met(raw.cpu / z.cpu <= 1.5),
  });
  addRow({
    what: `the same vs the awk pipeline (top-talkers${awkReps === 1 ? ', 1 run' : ''})`,
    measured: `awk ÷ casebook ${x(awk.wall, raw.wall)} wall (${x(awk.cpu, raw.cpu)} cpu): ${wc(awk)}; same answer: ${same ? 'yes' : 'NO'}`,
    target: 'faster than awk (> 1x)',
    status: metBoth(awk.wall > raw.wall, awk.cpu > raw.cpu),
  });
  addRow({
    what: `peak memory, ${roleLabel('10m')} raw scan (top-talkers)`,
    measured: `${raw.rssMb.toFixed(0)} MB max RSS`,
    target: '< 1 GB',
    status: met(raw.rssMb < 1024),
  });
}

async function jqRow(role: '600k' | '5m'): Promise<void> {
  const l = lakeFor(role);
  const dir = await ensureLake(l);
  const w = lakeWindow(l);
  const list = fileList(dir, 'cloudtrail', w, l.name);
  const jqReps = role === '5m' && !quick ? 1 : reps;
  const m = compare([
    { name: 'casebook run access-denied', cmd: cliRun(dir, w, false, 'access-denied', ['--limit', '100000']), reps: jqReps },
    { name: 'jq', cmd: [jqAccessDenied(list.path, w)], shell: true, reps: jqReps },
  ]);
  const run = m.get('casebook run access-denied')!;
  const jq = m.get('jq')!;
  const same = sameMap(deniedMap(JSON.parse(run.out) as Rows), uniqMap(jq.out));
  addRow({
    what: `\`casebook run access-denied --no-store\` (full-scan aggregate) vs the jq pipeline, ${roleLabel(role)}${jqReps === 1 ? ', 1 run' : ''}`,
    measured: `jq ÷ casebook ${x(jq.wall, run.wall)} wall (${x(jq.cpu, run.cpu)} cpu): jq ${wc(jq)}, casebook ${wc(run)}; same answer: ${same ? 'yes' : 'NO'}`,
    target: '≥ 5x faster',
    status: metBoth(jq.wall / run.wall >= 5, jq.cpu / run.cpu >= 5),
  });
}

/** Fresh import of one table vs one raw full scan of it; store size vs gzip; for 5M events, a query on the store vs raw. */
async function importRows(role: Role): Promise<void> {
  const l = lakeFor(role);
  const dir = await ensureLake(l);
  const w = lakeWindow(l);
  const tableName = role === '10m' ? 'vpc_flow_logs' : 'cloudtrail';
  const store = join(work, `store-${l.name}-${tableName}`);
  rmSync(store, { recursive: true, force: true });
  log(`${l.name}: fresh import of ${tableName}`);
  const imp = compare([
    {
      name: 'import',
      cmd: [`rm -rf ${store} && ${cli.join(' ')} import --quiet --lake ${dir} --store ${store} --table ${tableName}`],
      shell: true,
      reps: 1,
    },
  ]).get('import')!;
  let scan = countScans.get(role);
  if (!scan || role === '10m') {
    const sql = tableName === 'cloudtrail' ? countSql(w) : flowCountSql(w);
    scan = compare([{ name: `raw count(*) of ${tableName}`, cmd: childCmd(dir, w, false, sql, tableName), reps: 1 }]).get(
      `raw count(*) of ${tableName}`,
    )!;
  }
  addRow({
    what: `\`casebook import --table ${tableName}\` (fresh store, 1 run) vs one raw full scan (count(*)), ${roleLabel(role)}`,
    measured: `${x(imp.cpu, scan.cpu)} cpu (${x(imp.wall, scan.wall)} wall): import ${wc(imp)}, ${imp.rssMb.toFixed(0)} MB; scan ${wc(scan)}`,
    target: '≤ 1.5x',
    status: met(imp.cpu / scan.cpu <= 1.5),
  });
  const manifest = JSON.parse(readFileSync(join(store, STORE_MANIFEST), 'utf8')) as {
    tables: Record<string, { partitions: Record<string, { bytes: number; files: Record<string, [number, number]> }> }>;
  };
  let parquet = 0;
  let gzip = 0;
  for (const t of Object.values(manifest.tables))
    for (const p of Object.values(t.partitions)) {
      parquet += p.bytes;
      for (const [size] of Object.values(p.files)) gzip += size;
    }
  addRow({
    what: `Parquet store size vs raw gzip, ${tableName}, ${roleLabel(role)}`,
    measured: `${x(parquet, gzip)}: ${(parquet / 1e6).toFixed(1)} MB vs ${(gzip / 1e6).toFixed(1)} MB`,
    target: '≤ 0.4x',
    status: met(parquet / gzip <= 0.4),
  });
  if (role === '5m') {
    const m = compare([
      { name: 'raw', cmd: cliRun(dir, w, false, 'access-denied', ['--limit', '100000']) },
      { name: 'store', cmd: cliRun(dir, w, store, 'access-denied', ['--limit', '100000']) },
    ]);
    const raw = m.get('raw')!;
    const st = m.get('store')!;
    const same = raw.out === st.out;
    addRow({
      what: `\`casebook run access-denied\` on the store vs raw, ${roleLabel(role)}`,
      measured: `raw ÷ store ${x(raw.wall, st.wall)} wall (${x(raw.cpu, st.cpu)} cpu): store ${wc(st)}, raw ${wc(raw)}; same rows: ${same ? 'yes' : 'NO'}`,
      target: '≥ 10x',
      status: metBoth(raw.wall / st.wall >= 10, raw.cpu / st.cpu >= 10),
    });
  }
  rmSync(store, { recursive: true, force: true });
}

async function main(): Promise<void> {
  for (const f of [child, bare]) if (!existsSync(f)) throw new Error(`${f} is missing: run \`npm run build\` first (npm run bench does)`);
  const started = new Date();
  const load0 = loadavg();
  if (only.has('cold')) await section('cold start', coldRows);
  if (only.has('run') && roles.has('600k')) await section('run vs bare DuckDB', runVsBareRow);
  if (only.has('scan') && roles.has('600k')) await section('CloudTrail scan, 600k', () => cloudtrailScanRows('600k', false));
  if ((only.has('scan') || only.has('window')) && roles.has('5m'))
    await section('CloudTrail scan, 5M', () => cloudtrailScanRows('5m', only.has('window')));
  if (only.has('scan') && roles.has('10m')) await section('flow-log scan, 10M', flowScanRows);
  if (only.has('jq')) for (const role of ['600k', '5m'] as const) if (roles.has(role)) await section(`jq, ${role}`, () => jqRow(role));
  if (only.has('import')) for (const role of ROLES) if (roles.has(role)) await section(`import, ${role}`, () => importRows(role));
  const load1 = loadavg();

  const lines = [
    `casebook bench, ${started.toISOString().slice(0, 16)}Z to ${new Date().toISOString().slice(11, 16)}Z: ${cpus()[0]?.model ?? 'cpu'} x ${nproc}, ${(totalmem() / 2 ** 30).toFixed(0)} GB, node ${process.version}; load average ${load0[0]!.toFixed(1)} at the start, ${load1[0]!.toFixed(1)} at the end; median of ${reps} interleaved run(s) unless a row says otherwise${quick ? ' (--quick: small lakes)' : ''}; ratios on CPU time (user + system) unless a row says otherwise`,
    '',
    '| what | measured | target | |',
    '|---|---|---|---|',
    ...table.map((r) => `| ${r.what} | ${r.measured} | ${r.target} | ${r.status} |`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  rmSync(work, { recursive: true, force: true });
}

await main();
