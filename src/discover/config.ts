import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { parseDocument, isMap } from 'yaml';
import { parseConfig } from '../config.js';
import { UsageError } from '../errors.js';
import type { Discovery, LogRoot } from './discover.js';

/**
 * The `lake:` settings a discovery implies, under the names the config file's `lake:`
 * section takes (src/config.ts LakeConfigSchema): where the logs are, and exactly the
 * accounts and regions the bucket holds, so the projection lists what is there.
 */
export interface LakeSettings {
  location?: string;
  'cloudtrail-location'?: string;
  'flowlogs-location'?: string;
  accounts?: string[];
  regions?: string[];
  'org-id'?: string;
  'hive-prefixes'?: boolean;
  hourly?: boolean;
  parquet?: boolean;
}

function serviceOf(root: LogRoot, table: 'cloudtrail' | 'vpc_flow_logs') {
  return root.services.find((s) => s.table === table);
}

/** The lake settings of a discovery; notes say what could not be expressed in one `lake:` section. */
export function lakeSettings(d: Discovery, o: { s3: boolean }): { settings: LakeSettings; notes: string[] } {
  const notes: string[] = [];
  const settings: LakeSettings = {};
  const trailRoots = d.roots.filter((r) => serviceOf(r, 'cloudtrail'));
  const flowRoots = d.roots.filter((r) => serviceOf(r, 'vpc_flow_logs'));
  const trailRoot = trailRoots[0];
  const flowRoot = flowRoots[0];
  if (trailRoots.length > 1)
    notes.push(
      `CloudTrail logs under ${trailRoots.length} prefixes (${trailRoots.map((r) => r.location).join(', ')}): the config names the first; discover one prefix at a time to choose`,
    );
  if (flowRoots.length > 1)
    notes.push(`flow logs under ${flowRoots.length} prefixes (${flowRoots.map((r) => r.location).join(', ')}): the config names the first`);
  if (o.s3) {
    if (trailRoot && flowRoot && trailRoot.location !== flowRoot.location) {
      settings['cloudtrail-location'] = slash(trailRoot.location);
      settings['flowlogs-location'] = slash(flowRoot.location);
    } else if (trailRoot ?? flowRoot) settings.location = slash((trailRoot ?? flowRoot)!.location);
  }
  const used = [trailRoot && serviceOf(trailRoot, 'cloudtrail'), flowRoot && serviceOf(flowRoot, 'vpc_flow_logs')].filter(
    (s) => s !== undefined,
  );
  const accounts = [...new Set(used.flatMap((s) => s.accounts))].sort();
  const regions = [...new Set(used.flatMap((s) => s.regions))].sort();
  if (accounts.length) settings.accounts = accounts;
  if (regions.length) settings.regions = regions;
  const trails = trailRoot ? serviceOf(trailRoot, 'cloudtrail')! : undefined;
  const orgs = [...new Set(trails?.folders.flatMap((f) => f.orgId ?? []) ?? [])];
  if (orgs.length === 1) settings['org-id'] = orgs[0];
  if (orgs.length > 1) notes.push(`several organization trails (${orgs.join(', ')}): set org-id to the one to query`);
  const flows = flowRoot ? serviceOf(flowRoot, 'vpc_flow_logs')! : undefined;
  if (flows) {
    const hive = new Set(flows.folders.map((f) => f.hivePrefixes));
    const hourly = new Set(flows.folders.map((f) => f.hourly));
    const parquet = new Set(flows.folders.flatMap((f) => f.flowLogs ?? []).map((x) => x.fileFormat === 'parquet'));
    if (hive.size === 1) settings['hive-prefixes'] = [...hive][0];
    else notes.push('flow logs with and without Hive-compatible prefixes: a table reads one of them');
    if (hourly.size === 1) settings.hourly = [...hourly][0];
    else notes.push('flow logs partitioned by day and by hour: a table reads one of them');
    if (parquet.size === 1) settings.parquet = [...parquet][0];
    else if (parquet.size > 1) notes.push('flow logs in text and in Parquet: a table reads one of them');
  }
  return { settings, notes };
}

function slash(location: string): string {
  return location.endsWith('/') ? location : `${location}/`;
}

/**
 * Write the settings into the config file's `lake:` section (created if absent), keeping
 * every other key and comment of the file; the result must still be a valid config.
 * Returns the new text.
 */
export function writeLakeConfig(file: string, settings: LakeSettings): string {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new UsageError(`${file}: not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
  if (doc.contents === null) doc.contents = doc.createNode({}) as unknown as typeof doc.contents;
  if (!isMap(doc.contents)) throw new UsageError(`${file}: the config is not a mapping of keys`);
  if (!isMap(doc.get('lake'))) doc.set('lake', doc.createNode({}));
  for (const [key, value] of Object.entries(settings)) {
    if (value === undefined) continue;
    const node = doc.createNode(value);
    if (Array.isArray(value)) (node as { flow?: boolean }).flow = true;
    doc.setIn(['lake', key], node);
  }
  // A single location replaces per-table ones, and the reverse.
  if (settings.location !== undefined) for (const k of ['cloudtrail-location', 'flowlogs-location']) doc.deleteIn(['lake', k]);
  if (settings['cloudtrail-location'] !== undefined) doc.deleteIn(['lake', 'location']);
  const out = doc.toString();
  parseConfig(out, file);
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, out);
  renameSync(tmp, file);
  return out;
}
