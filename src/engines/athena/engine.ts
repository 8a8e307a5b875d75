import { randomUUID } from 'node:crypto';
import {
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  GetWorkGroupCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type AthenaClient,
  type GetQueryResultsOutput,
  type QueryExecution,
  type StartQueryExecutionInput,
} from '@aws-sdk/client-athena';
import { CasebookError, firstLine } from '../../errors.js';
import { humanBytes } from '../../format/format.js';
import type {
  QueryResult,
  ResultColumn,
  Row,
  RowStream,
  RunOptions,
  RunStats,
  ScanEstimate,
  ScanRequest,
  StreamingEngine,
  EstimatingEngine,
} from '../engine.js';
import { ATHENA_PRICE_PER_TB_USD, queryCostUsd, usd } from './cost.js';
import { errorName, explainAwsError, fixFor, type ErrorContext } from '../../aws/errors.js';
import { awsCall } from '../../aws/call.js';
import { CancelledError, DEFAULT_RETRY, sleep as realSleep, type RetryPolicy, type Sleep } from '../../aws/retry.js';
import { DEFAULT_TIMEOUT_MS } from '../../aws/settings.js';
import type { LakeLayout, S3Api } from './estimate.js';
import { elapsedText } from './units.js';
import { athenaValue } from './values.js';
import type { AthenaSettings } from './settings.js';
import { PageGuard } from './page-guard.js';
import { ResultAudit } from './result-audit.js';

/** The slice of the Athena client the engine uses: tests pass a mock. */
export type AthenaApi = Pick<AthenaClient, 'send'>;

export interface PollPolicy {
  /** First wait between GetQueryExecution calls. */
  initialMs: number;
  /** Longest wait. */
  maxMs: number;
  /** Growth of the wait per poll. */
  factor: number;
}

export const DEFAULT_POLL: PollPolicy = { initialMs: 300, maxMs: 5_000, factor: 1.5 };
/** Athena's largest page of GetQueryResults. */
export const MAX_RESULTS = 1000;

/** The engine takes every Athena setting (src/engines/athena/settings.ts), and what tests inject. */
export interface AthenaEngineOptions extends Partial<AthenaSettings> {
  client: AthenaApi;
  /** Called by close(), e.g. the real client's destroy(). */
  onClose?: () => void;
  database?: string;
  catalog?: string;
  /** Default: Athena's own (primary). */
  workgroup?: string;
  /** s3://bucket/prefix/ for results; else the workgroup's. */
  outputLocation?: string;
  /** Stop a query whose DataScannedInBytes passes this. */
  maxScanBytes?: number;
  /** Turn on result reuse for results up to this age (minutes, 1-10080). */
  reuseMaxAgeMinutes?: number;
  /** USD per TB scanned; default ATHENA_PRICE_PER_TB_USD. */
  pricePerTb?: number;
  /** Time limit of each AWS call. */
  timeoutMs?: number;
  /** For messages. */
  region?: string;
  endpoint?: string;
  profile?: string;
  poll?: Partial<PollPolicy>;
  retry?: Partial<RetryPolicy>;
  /** Injected in tests: waits and jitter. */
  sleep?: Sleep;
  random?: () => number;
  now?: () => number;
  /** ClientRequestToken of each query (32-128 characters). */
  requestToken?: () => string;
  /** For estimate: the S3 client that lists the logs (made on first use)... */
  s3?: () => Promise<S3Api>;
  /** ...and where the logs are in S3. */
  lakeLayout?: LakeLayout;
}

interface Workgroup {
  cutoffBytes?: number;
  engineVersion?: string;
}

const STATES_DONE = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

/**
 * Runs Athena SQL on Amazon Athena: start (with a client request token, so a retried
 * start never runs the query twice), poll with backoff while reporting state, elapsed
 * time and data scanned, page through the results converting each value by its type,
 * stop the query on cancellation or past --max-scan, and explain every failure in one
 * line. Every AWS call has a time limit and retries throttling and transient failures.
 */
export class AthenaEngine implements StreamingEngine, EstimatingEngine {
  readonly name = 'athena';
  private workgroup?: Promise<Workgroup>;
  private readonly poll: PollPolicy;
  private readonly retry: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly sleep: Sleep;
  private readonly now: () => number;

  constructor(private readonly o: AthenaEngineOptions) {
    this.poll = { ...DEFAULT_POLL, ...o.poll };
    this.retry = { ...DEFAULT_RETRY, ...o.retry };
    this.timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.sleep = o.sleep ?? realSleep;
    this.now = o.now ?? (() => performance.now());
  }

  private context(executionId?: string, operation?: string): ErrorContext {
    return {
      service: 'Athena',
      operation,
      executionId,
      database: this.o.database,
      catalog: this.o.catalog,
      workgroup: this.o.workgroup,
      region: this.o.region,
      endpoint: this.o.endpoint,
      profile: this.o.profile,
      timeoutMs: this.timeoutMs,
    };
  }

  /** One AWS call with the time limit, retries and (where `signal` is given) cancellation. */
  private call<T>(
    operation: string,
    send: (abortSignal: AbortSignal) => Promise<T>,
    signal?: AbortSignal,
    policy = this.retry,
  ): Promise<T> {
    return awsCall(operation, send, {
      timeoutMs: this.timeoutMs,
      retry: policy,
      signal,
      sleep: this.sleep,
      random: this.o.random,
      now: this.now,
    });
  }

  /** The workgroup's scan cutoff and engine version, once per engine; unreadable settings are skipped. */
  private workgroupInfo(): Promise<Workgroup> {
    this.workgroup ??= (async () => {
      const name = this.o.workgroup ?? 'primary';
      try {
        const out = await this.call('GetWorkGroup', (abortSignal) =>
          this.o.client.send(new GetWorkGroupCommand({ WorkGroup: name }), { abortSignal }),
        );
        const wg = out?.WorkGroup;
        return {
          cutoffBytes: wg?.Configuration?.BytesScannedCutoffPerQuery,
          engineVersion: wg?.Configuration?.EngineVersion?.EffectiveEngineVersion,
        };
      } catch (err) {
        // Reading the workgroup is a courtesy: an identity allowed to run queries may
        // not be allowed to read the workgroup. Anything else (no credentials, a dead
        // endpoint, a missing workgroup) would fail the query too: say so now.
        if (
          !/^(AccessDenied|AccessDeniedException|UnauthorizedOperation)$/.test(errorName(err)) &&
          !/not authorized to perform/i.test(String((err as Error)?.message))
        )
          throw err;
        return {};
      }
    })();
    return this.workgroup;
  }

  async run(sql: string, options: RunOptions = {}): Promise<QueryResult> {
    const stream = await this.stream(sql, options);
    const rows: Row[] = [];
    for await (const page of stream.pages()) for (const r of page) rows.push(r);
    return { columns: stream.columns, rows, stats: stream.stats() };
  }

  async stream(sql: string, options: RunOptions = {}): Promise<RowStream> {
    const started = this.now();
    const signal = options.signal;
    let executionId: string | undefined;
    try {
      if (signal?.aborted) throw new CancelledError();
      const wg = await this.workgroupInfo();
      executionId = await this.start(sql);
      const execution = await this.waitFor(executionId, wg, started, options);
      return await this.results(execution, wg, started, signal);
    } catch (err) {
      if (err instanceof CancelledError) {
        if (!executionId) throw new CasebookError('cancelled before Athena accepted the query', { exitCode: 130 });
        throw await this.cancelled(executionId);
      }
      if (err instanceof CasebookError || !executionId) throw explainAwsError(err, this.context(executionId));
      // We are walking away from a started query: stop it rather than let it bill on.
      const stopped = await this.stop(executionId);
      const e = explainAwsError(err, this.context(executionId));
      throw new CasebookError(
        `${e.message}${stopped === undefined ? '; the query was stopped' : `; the query may still be running (stop it with: aws athena stop-query-execution --query-execution-id ${executionId})`}`,
        { cause: err },
      );
    }
  }

  private async start(sql: string): Promise<string> {
    const input: StartQueryExecutionInput = {
      QueryString: sql,
      // The same token on every retry of this start: Athena returns the same execution.
      ClientRequestToken: (this.o.requestToken ?? randomUUID)(),
      WorkGroup: this.o.workgroup,
    };
    if (this.o.database || this.o.catalog) input.QueryExecutionContext = { Database: this.o.database, Catalog: this.o.catalog };
    if (this.o.outputLocation) input.ResultConfiguration = { OutputLocation: this.o.outputLocation };
    if (this.o.reuseMaxAgeMinutes !== undefined) {
      input.ResultReuseConfiguration = { ResultReuseByAgeConfiguration: { Enabled: true, MaxAgeInMinutes: this.o.reuseMaxAgeMinutes } };
    }
    // Not cancellable mid-call: we must learn the execution id to be able to stop it.
    const out = await this.call('StartQueryExecution', (abortSignal) =>
      this.o.client.send(new StartQueryExecutionCommand(input), { abortSignal }),
    );
    if (!out?.QueryExecutionId) throw new CasebookError('Athena StartQueryExecution returned no QueryExecutionId');
    return out.QueryExecutionId;
  }

  /** Poll until the query ends; report progress; enforce --max-scan; turn FAILED/CANCELLED into errors. */
  private async waitFor(id: string, wg: Workgroup, started: number, options: RunOptions): Promise<QueryExecution> {
    let delay = this.poll.initialMs;
    for (;;) {
      const out = await this.call(
        'GetQueryExecution',
        (abortSignal) => this.o.client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }), { abortSignal }),
        options.signal,
      );
      const qe = out?.QueryExecution ?? {};
      const state = qe.Status?.State ?? 'QUEUED';
      const scanned = qe.Statistics?.DataScannedInBytes ?? 0;
      options.onProgress?.(`athena: ${state}, ${elapsedText(this.now() - started)}, ${humanBytes(scanned)} scanned (execution ${id})`);
      if (state === 'SUCCEEDED') return qe;
      if (state === 'FAILED') throw this.failed(id, qe);
      if (state === 'CANCELLED') throw this.cancelledByAthena(id, qe, wg);
      if (this.o.maxScanBytes !== undefined && scanned > this.o.maxScanBytes && !STATES_DONE.has(state)) {
        const stopFailure = await this.stop(id);
        const cost = usd(queryCostUsd(scanned, this.price));
        throw new CasebookError(
          `stopped Athena query ${id}: it scanned ${humanBytes(scanned)}, past --max-scan ${humanBytes(this.o.maxScanBytes)}; Athena bills what was scanned (${cost})` +
            `${stopFailure ? `, but StopQueryExecution failed (${stopFailure}): stop it with aws athena stop-query-execution --query-execution-id ${id}` : ''} — narrow --since/--until or raise --max-scan`,
        );
      }
      await this.sleep(delay, options.signal);
      delay = Math.min(this.poll.maxMs, delay * this.poll.factor);
    }
  }

  private get price(): number {
    return this.o.pricePerTb ?? ATHENA_PRICE_PER_TB_USD;
  }

  private failed(id: string, qe: QueryExecution): CasebookError {
    const err = qe.Status?.AthenaError;
    const reason = firstLine(err?.ErrorMessage ?? qe.Status?.StateChangeReason ?? 'no reason given');
    const fix = fixFor(reason, err?.ErrorType, this.context(id));
    const retry = err?.Retryable ? ' (Athena marks this failure retryable: run again)' : '';
    return new CasebookError(`Athena query ${id} FAILED: ${reason}${retry}${fix ? ` — ${fix}` : ''}`);
  }

  private cancelledByAthena(id: string, qe: QueryExecution, wg: Workgroup): CasebookError {
    const reason = firstLine(qe.Status?.AthenaError?.ErrorMessage ?? qe.Status?.StateChangeReason ?? 'no reason given');
    const scanned = qe.Statistics?.DataScannedInBytes ?? 0;
    let fix = fixFor(reason, qe.Status?.AthenaError?.ErrorType, this.context(id));
    if (wg.cutoffBytes !== undefined && scanned >= wg.cutoffBytes) {
      fix = `workgroup ${this.o.workgroup ?? 'primary'} stops queries past ${humanBytes(wg.cutoffBytes)} (BytesScannedCutoffPerQuery): narrow --since/--until, or use another workgroup`;
    }
    return new CasebookError(
      `Athena query ${id} was CANCELLED: ${reason}; it scanned ${humanBytes(scanned)} (billed ${usd(queryCostUsd(scanned, this.price))})${fix ? ` — ${fix}` : ''}`,
    );
  }

  /** Stop a query (best effort, not cancellable); returns why it failed, or undefined. */
  private async stop(id: string): Promise<string | undefined> {
    try {
      await this.call(
        'StopQueryExecution',
        (abortSignal) => this.o.client.send(new StopQueryExecutionCommand({ QueryExecutionId: id }), { abortSignal }),
        undefined,
        { ...this.retry, attempts: Math.min(this.retry.attempts, 3) },
      );
      return undefined;
    } catch (err) {
      return explainAwsError(err, this.context(id, 'StopQueryExecution')).message;
    }
  }

  /** The user cancelled: stop the query and say so. */
  private async cancelled(id: string): Promise<CasebookError> {
    const failure = await this.stop(id);
    if (failure) {
      return new CasebookError(
        `cancelled, but could not stop Athena query ${id}: ${failure} — stop it with: aws athena stop-query-execution --query-execution-id ${id}`,
        { exitCode: 130 },
      );
    }
    return new CasebookError(
      `cancelled: stopped Athena query ${id} (StopQueryExecution sent); Athena bills the data it scanned before stopping`,
      { exitCode: 130 },
    );
  }

  /** Fetch the first page (columns), and hand back the rest as an async iterator of pages. */
  private async results(qe: QueryExecution, wg: Workgroup, started: number, signal?: AbortSignal): Promise<RowStream> {
    const id = qe.QueryExecutionId!;
    const fetch = (token?: string) =>
      this.call(
        'GetQueryResults',
        (abortSignal) =>
          this.o.client.send(new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: MAX_RESULTS, NextToken: token }), {
            abortSignal,
          }),
        signal,
      );
    const first: GetQueryResultsOutput = (await fetch()) ?? {};
    const info = first.ResultSet?.ResultSetMetadata?.ColumnInfo ?? [];
    const columns: ResultColumn[] = info.map((c, i) => ({
      name: c.Name ?? c.Label ?? `_col${i}`,
      type: (c.Type ?? 'varchar').toLowerCase(),
    }));
    const audit = new ResultAudit(columns);
    const convert = (page: GetQueryResultsOutput, skipHeader: boolean): Row[] => {
      let rows = page.ResultSet?.Rows ?? [];
      // SELECT results repeat the column names as the first row of the first page.
      if (
        skipHeader &&
        rows.length > 0 &&
        isHeader(
          rows[0]!.Data ?? [],
          info.map((c) => c.Label ?? c.Name ?? ''),
        )
      )
        rows = rows.slice(1);
      return rows.map((r) => {
        const row: Row = {};
        const data = r.Data ?? [];
        columns.forEach((c, i) => {
          const text = data[i]?.VarCharValue;
          row[c.name] = athenaValue(text, c.type);
          audit.value(c.name, text, row[c.name]!);
        });
        return row;
      });
    };
    const scanned = qe.Statistics?.DataScannedInBytes ?? 0;
    const reused = qe.Statistics?.ResultReuseInformation?.ReusedPreviousResult === true;
    const notes: string[] = [];
    if (reused) notes.push('result reused (no data scanned, no charge)');
    else if (this.o.reuseMaxAgeMinutes !== undefined) notes.push(`no reusable result in the last ${this.o.reuseMaxAgeMinutes} min`);
    if (this.o.reuseMaxAgeMinutes !== undefined && wg.engineVersion && !/3/.test(wg.engineVersion))
      notes.push(`result reuse needs Athena engine v3 (workgroup runs ${wg.engineVersion})`);
    if (wg.cutoffBytes !== undefined)
      notes.push(`workgroup ${this.o.workgroup ?? 'primary'} stops queries past ${humanBytes(wg.cutoffBytes)}`);
    if (this.o.maxScanBytes !== undefined && scanned > this.o.maxScanBytes)
      notes.push(`finished before --max-scan ${humanBytes(this.o.maxScanBytes)} could stop it`);
    let count = 0;
    let finished: number | undefined;
    const engine = this;
    async function* pages(): AsyncGenerator<Row[]> {
      const headerPossible = qe.StatementType === 'DML' || qe.StatementType === undefined;
      let page = first;
      let rows = convert(page, headerPossible);
      const guard = new PageGuard(id);
      for (;;) {
        count += rows.length;
        if (rows.length > 0) yield rows;
        const token = page.NextToken;
        if (!token) break;
        guard.next(page.ResultSet?.Rows?.length ?? 0, token);
        try {
          page = (await fetch(token)) ?? {};
        } catch (err) {
          if (err instanceof CancelledError)
            throw new CasebookError(`cancelled while reading the results of Athena query ${id} (the query had finished)`, {
              exitCode: 130,
            });
          throw explainAwsError(err, engine.context(id, 'GetQueryResults'));
        }
        rows = convert(page, false);
      }
      finished = engine.now();
    }
    return {
      columns,
      pages,
      stats: (): RunStats => ({
        engine: this.name,
        elapsedMs: Math.round((finished ?? this.now()) - started),
        rows: count,
        dataScannedBytes: scanned,
        queryExecutionId: id,
        costUsd: queryCostUsd(scanned, this.price, { reused }),
        notes: [...notes, ...audit.notes()],
      }),
    };
  }

  /**
   * What the query would scan at most: the S3 prefixes its partition predicate selects
   * under the lake layout, listed and priced (estimate.ts). Nothing runs on Athena.
   */
  async estimate(request: ScanRequest, options: { signal?: AbortSignal } = {}): Promise<ScanEstimate> {
    if (!this.o.s3) throw new CasebookError('this Athena engine has no S3 client to list the logs with, so it cannot estimate');
    // Loaded here: it brings the S3 SDK, which running a query never needs.
    const { estimateScan } = await import('./estimate.js');
    return estimateScan({
      s3: await this.o.s3(),
      tables: request.tables,
      window: request.window,
      layout: this.o.lakeLayout ?? {},
      pricePerTb: this.o.pricePerTb,
      timeoutMs: this.timeoutMs,
      retry: this.o.retry,
      sleep: this.o.sleep,
      random: this.o.random,
      signal: options.signal,
      region: this.o.region,
      endpoint: this.o.endpoint,
      profile: this.o.profile,
    });
  }

  async close(): Promise<void> {
    this.o.onClose?.();
  }
}

function isHeader(data: { VarCharValue?: string }[], labels: string[]): boolean {
  return data.length === labels.length && data.every((d, i) => d.VarCharValue === labels[i]);
}
