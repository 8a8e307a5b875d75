import {
  BatchCreatePartitionCommand,
  BatchUpdatePartitionCommand,
  CreateDatabaseCommand,
  CreateTableCommand,
  GetDatabaseCommand,
  GetPartitionsCommand,
  GetTableCommand,
  UpdateTableCommand,
  type GlueClient,
  type Partition,
  type PartitionInput,
  type Table,
  type TableInput,
} from '@aws-sdk/client-glue';
import { CasebookError } from '../errors.js';
import { diffTable, mergeForUpdate, partitionDiffers } from './compare.js';
import { awsCall } from '../aws/call.js';
import { errorName, explainAwsError } from '../aws/errors.js';
import type { RetryOverrides } from '../aws/retry.js';
import { DEFAULT_TIMEOUT_MS, type AwsSettings } from '../aws/settings.js';
import { layoutName } from '../layout/layout.js';
import { planTables } from './plan.js';
import { registeredPartitions, type BuiltTable, type TableSpec } from './table-input.js';

/** The slice of the Glue client setup uses: tests pass a mock. */
export type GlueSend = Pick<GlueClient, 'send'>;

export interface SetupRequest {
  database: string;
  catalogId?: string;
  /** Create the database when it is missing (default true). */
  createDatabase?: boolean;
  /** Print what would change; write nothing. */
  dryRun?: boolean;
  tables: TableSpec[];
  now?: Date;
  /** One line of output (stdout). */
  log: (line: string) => void;
  /** Warnings (stderr). */
  warn?: (line: string) => void;
  retry?: RetryOverrides;
  /** The time limit of each call, and the region, endpoint and profile for messages. */
  aws?: Partial<AwsSettings>;
  /** The user's cancellation. */
  signal?: AbortSignal;
}

export type TableAction = 'created' | 'updated' | 'unchanged' | 'would create' | 'would update';

export interface TableReport {
  table: string;
  layout: string;
  action: TableAction;
  differences: string[];
  input: TableInput;
  partitions?: { create: number; update: number; unchanged: number };
}

export interface SetupReport {
  database: 'exists' | 'created' | 'would create';
  tables: TableReport[];
}

function isNotFound(err: unknown): boolean {
  return errorName(err) === 'EntityNotFoundException';
}

/**
 * Create or update casebook's tables in the Glue Data Catalog: the database when
 * missing, each table when missing or different (left alone when equal), and the
 * registered partitions of layouts that cannot be projected.
 */
export async function setupGlue(glue: GlueSend, req: SetupRequest): Promise<SetupReport> {
  const now = req.now ?? new Date();
  const warn = req.warn ?? req.log;
  const built = planTables(req.tables, now, warn);
  const dryRun = Boolean(req.dryRun);
  const catalog = req.catalogId ? { CatalogId: req.catalogId } : {};
  const db = req.database;
  const { sleep, random, ...policy } = req.retry ?? {};
  const aws = req.aws ?? {};
  const explainGlueError = (err: unknown, operation: string, resource: string) =>
    explainAwsError(err, {
      service: 'Glue',
      operation,
      resource,
      region: aws.region,
      endpoint: aws.endpointUrl,
      profile: aws.profile,
      timeoutMs: aws.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    });
  /** One Glue call through casebook's AWS call path (time limit, retries, cancellation); `label` names it when retries run out. */
  const send = <T>(action: string, label: string, fn: (abortSignal: AbortSignal) => Promise<T>): Promise<T> =>
    awsCall(action, fn, {
      timeoutMs: aws.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      retry: policy,
      sleep,
      random,
      signal: req.signal,
      label,
    });
  const call = async <T>(action: string, resource: string, fn: (abortSignal: AbortSignal) => Promise<T>): Promise<T> => {
    try {
      return await send(action, `${action} on ${resource}`, fn);
    } catch (err) {
      throw explainGlueError(err, action, resource);
    }
  };

  let database: SetupReport['database'] = 'exists';
  try {
    await send('GetDatabase', `GetDatabase ${db}`, (abortSignal) =>
      glue.send(new GetDatabaseCommand({ ...catalog, Name: db }), { abortSignal }),
    );
  } catch (err) {
    if (!isNotFound(err)) throw explainGlueError(err, 'GetDatabase', `database ${db}`);
    if (req.createDatabase === false) {
      throw new CasebookError(
        `Glue database ${db} does not exist: create it (aws glue create-database --database-input Name=${db}), name another with --database, or drop --no-create-database`,
      );
    }
    database = dryRun ? 'would create' : 'created';
    if (!dryRun) {
      try {
        await send('CreateDatabase', `CreateDatabase ${db}`, (abortSignal) =>
          glue.send(
            new CreateDatabaseCommand({
              ...catalog,
              DatabaseInput: { Name: db, Description: 'casebook: CloudTrail and VPC Flow Logs tables for canned investigations' },
            }),
            { abortSignal },
          ),
        );
      } catch (e) {
        if (errorName(e) !== 'AlreadyExistsException') throw explainGlueError(e, 'CreateDatabase', `database ${db}`);
      }
    }
  }
  req.log(`database ${db}: ${database === 'exists' ? 'exists' : database}`);

  const reports: TableReport[] = [];
  for (const b of built) {
    const name = b.input.Name!;
    const resource = `table ${db}.${name}`;
    let existing: Table | undefined;
    if (database === 'exists') {
      try {
        existing = (
          await send('GetTable', `GetTable ${db}.${name}`, (abortSignal) =>
            glue.send(new GetTableCommand({ ...catalog, DatabaseName: db, Name: name }), { abortSignal }),
          )
        ).Table;
      } catch (err) {
        if (!isNotFound(err)) throw explainGlueError(err, 'GetTable', resource);
      }
    }
    const report: TableReport = { table: name, layout: layoutName(b.spec.layout), action: 'unchanged', differences: [], input: b.input };
    if (!existing) {
      report.action = dryRun ? 'would create' : 'created';
      if (!dryRun)
        await call('CreateTable', resource, (abortSignal) =>
          glue.send(new CreateTableCommand({ ...catalog, DatabaseName: db, TableInput: b.input }), { abortSignal }),
        );
    } else {
      report.differences = diffTable(b.input, existing);
      if (report.differences.length) {
        report.action = dryRun ? 'would update' : 'updated';
        if (!dryRun)
          await call('UpdateTable', resource, (abortSignal) =>
            glue.send(new UpdateTableCommand({ ...catalog, DatabaseName: db, TableInput: mergeForUpdate(b.input, existing!) }), {
              abortSignal,
            }),
          );
      }
    }
    const wanted = registeredPartitions(b, now);
    if (wanted.length) {
      report.partitions = await syncPartitions(glue, req, b, wanted, Boolean(existing), call, explainGlueError);
    }
    reports.push(report);
    printReport(report, b, dryRun, req.log);
  }
  return { database, tables: reports };
}

type Caller = <T>(action: string, resource: string, fn: (abortSignal: AbortSignal) => Promise<T>) => Promise<T>;
type Explain = (err: unknown, operation: string, resource: string) => CasebookError;

async function syncPartitions(
  glue: GlueSend,
  req: SetupRequest,
  b: BuiltTable,
  wanted: PartitionInput[],
  tableExisted: boolean,
  call: Caller,
  explainGlueError: Explain,
): Promise<{ create: number; update: number; unchanged: number }> {
  const db = req.database;
  const name = b.input.Name!;
  const catalog = req.catalogId ? { CatalogId: req.catalogId } : {};
  const resource = `partitions of ${db}.${name}`;
  const have = new Map<string, Partition>();
  if (tableExisted) {
    let token: string | undefined;
    do {
      const page = await call('GetPartitions', resource, (abortSignal) =>
        glue.send(new GetPartitionsCommand({ ...catalog, DatabaseName: db, TableName: name, NextToken: token }), { abortSignal }),
      );
      for (const p of page?.Partitions ?? []) have.set((p.Values ?? []).join('|'), p);
      token = page?.NextToken;
    } while (token);
  }
  const create: PartitionInput[] = [];
  const update: PartitionInput[] = [];
  for (const w of wanted) {
    const h = have.get(w.Values!.join('|'));
    if (!h) create.push(w);
    else if (partitionDiffers(w, h)) update.push(w);
  }
  const counts = { create: create.length, update: update.length, unchanged: wanted.length - create.length - update.length };
  if (req.dryRun) return counts;
  for (let i = 0; i < create.length; i += 100) {
    const chunk = create.slice(i, i + 100);
    const res = await call('BatchCreatePartition', resource, (abortSignal) =>
      glue.send(new BatchCreatePartitionCommand({ ...catalog, DatabaseName: db, TableName: name, PartitionInputList: chunk }), {
        abortSignal,
      }),
    );
    const failed = (res?.Errors ?? []).filter((e) => e.ErrorDetail?.ErrorCode !== 'AlreadyExistsException');
    if (failed.length) {
      const e = failed[0]!;
      throw explainGlueError(
        { name: e.ErrorDetail?.ErrorCode ?? 'Error', message: e.ErrorDetail?.ErrorMessage ?? 'partition not created' },
        'BatchCreatePartition',
        `partition ${(e.PartitionValues ?? []).join('/')} of ${db}.${name} (${failed.length} failed)`,
      );
    }
  }
  for (let i = 0; i < update.length; i += 100) {
    const chunk = update.slice(i, i + 100);
    const res = await call('BatchUpdatePartition', resource, (abortSignal) =>
      glue.send(
        new BatchUpdatePartitionCommand({
          ...catalog,
          DatabaseName: db,
          TableName: name,
          Entries: chunk.map((p) => ({ PartitionValueList: p.Values!, PartitionInput: p })),
        }),
        { abortSignal },
      ),
    );
    const failed = res?.Errors ?? [];
    if (failed.length) {
      const e = failed[0]!;
      throw explainGlueError(
        { name: e.ErrorDetail?.ErrorCode ?? 'Error', message: e.ErrorDetail?.ErrorMessage ?? 'partition not updated' },
        'BatchUpdatePartition',
        `partition ${(e.PartitionValueList ?? []).join('/')} of ${db}.${name} (${failed.length} failed)`,
      );
    }
  }
  return counts;
}

function printReport(r: TableReport, b: BuiltTable, dryRun: boolean, log: (line: string) => void): void {
  const o = b.spec.options;
  const what = [
    `layout ${r.layout}`,
    `location ${r.input.StorageDescriptor?.Location}`,
    `accounts ${o.accounts === 'injected' ? 'injected' : o.accounts.length}`,
    `regions ${o.regions === 'injected' ? 'injected' : o.regions.length}`,
    `from ${o.startDate}`,
  ].join(', ');
  let line = `table ${r.table}: ${r.action} (${what})`;
  if (r.partitions) {
    const p = r.partitions;
    const verb = dryRun ? 'would register' : 'registered';
    line += `; partitions: ${verb} ${p.create}, ${dryRun ? 'would update' : 'updated'} ${p.update}, ${p.unchanged} already there, through ${o.partitionsUntil ?? 'a year from today'} (run casebook setup again before then)`;
  }
  log(line);
  for (const d of r.differences) log(`  ${d}`);
  if (dryRun) {
    log(`  TableInput for ${r.table}:`);
    for (const l of JSON.stringify(r.input, null, 2).split('\n')) log(`    ${l}`);
  }
}
