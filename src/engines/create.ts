import { existsSync } from 'node:fs';
import { CasebookError, UsageError } from '../errors.js';
import type { Engine } from './engine.js';

export interface EngineSettings {
  engine: string;
  /** duckdb: the lake directory. */
  lake?: string;
  threads?: number;
  /** duckdb: the Parquet store directory, or false to read only the raw lake. */
  store?: string | false;
  /** athena: the fields of AthenaSettings (src/engines/athena/settings.ts). */
  [option: string]: unknown;
}

type Factory = (settings: EngineSettings) => Promise<Engine>;

/**
 * Engines by name. Each factory imports its engine when first used, so commands that
 * run no query never load DuckDB or the AWS SDK.
 */
const FACTORIES: Record<string, Factory> = {
  duckdb: async (s) => {
    const { DuckdbEngine } = await import('./duckdb/engine.js');
    if (!s.lake) throw new UsageError('the duckdb engine needs --lake');
    if (!existsSync(s.lake)) throw new UsageError(`lake directory ${s.lake} does not exist (make one with \`casebook sample --out ${s.lake}\`)`);
    return new DuckdbEngine({ lake: s.lake, threads: s.threads, store: s.store });
  },
  athena: async (s) => {
    const { createAthenaEngine } = await import('./athena/create.js');
    return createAthenaEngine(s as unknown as import('./athena/settings.js').AthenaSettings);
  },
};

export function registerEngine(name: string, factory: Factory): void {
  FACTORIES[name] = factory;
}

export function engineNames(): string[] {
  return Object.keys(FACTORIES);
}

export async function createEngine(settings: EngineSettings): Promise<Engine> {
  const factory = FACTORIES[settings.engine];
  if (!factory) throw new UsageError(`unknown engine "${settings.engine}" (choose ${engineNames().join(' or ')})`);
  return factory(settings);
}
