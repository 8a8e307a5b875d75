import { existsSync } from 'node:fs';
import { UsageError } from '../errors.js';
import type { Engine } from './engine.js';
import type { LakeLayout } from './athena/estimate.js';
import { ATHENA } from './athena/settings.js';
import { DUCKDB } from './duckdb/settings.js';
import { AWS } from '../aws/settings.js';
import { manifestFields, type Section, type SettingsOf } from '../settings/model.js';

/**
 * Engines by name, with the settings sections each takes (src/settings/model.ts). Each
 * factory imports its engine when first used, so commands that run no query never load
 * DuckDB or the AWS SDK. Adding an engine is one entry here (and its settings section).
 */
const ENGINES = {
  duckdb: {
    sections: { duckdb: DUCKDB },
    create: async (s: { duckdb: SettingsOf<typeof DUCKDB> }): Promise<Engine> => {
      const { lake } = s.duckdb;
      if (!existsSync(lake))
        throw new UsageError(`lake directory ${lake} does not exist (make one with \`casebook sample --out ${lake}\`)`);
      const { DuckdbEngine } = await import('./duckdb/engine.js');
      return new DuckdbEngine(s.duckdb);
    },
  },
  athena: {
    sections: { athena: ATHENA, aws: AWS },
    create: async (s: { athena: SettingsOf<typeof ATHENA>; aws: SettingsOf<typeof AWS>; lakeLayout?: LakeLayout }): Promise<Engine> => {
      const { createAthenaEngine } = await import('./athena/create.js');
      return createAthenaEngine(s);
    },
  },
};

export type EngineName = keyof typeof ENGINES;
type SectionsOf<E extends EngineName> = (typeof ENGINES)[E]['sections'];

/**
 * What `createEngine` takes: the engine's name and its typed settings, section by section.
 * Athena may also be told where the logs are in S3 (for estimate).
 */
export type EngineSettings = {
  [E in EngineName]: { engine: E } & {
    [K in keyof SectionsOf<E>]: SectionsOf<E>[K] extends Section ? SettingsOf<SectionsOf<E>[K]> : never;
  } & (E extends 'athena' ? { lakeLayout?: LakeLayout } : unknown);
}[EngineName];

export function engineNames(): EngineName[] {
  return Object.keys(ENGINES) as EngineName[];
}

export function isEngineName(name: string): name is EngineName {
  return Object.hasOwn(ENGINES, name);
}

/** The settings sections of an engine, by name. */
export function engineSections(engine: EngineName): Record<string, Section> {
  return ENGINES[engine].sections;
}

/** Every engine's settings sections, each once (for the command-line options). */
export function allEngineSections(): Section[] {
  return [...new Set(engineNames().flatMap((e) => Object.values(engineSections(e))))];
}

/** What a report manifest records of where it ran: the settings each section marks (never credentials or profiles). */
export function engineManifest(settings: EngineSettings): Record<string, string> {
  const out: Record<string, string> = {};
  const values: Record<string, unknown> = settings;
  for (const [key, section] of Object.entries(engineSections(settings.engine))) {
    Object.assign(out, manifestFields(section, values[key] as Record<string, unknown>));
  }
  return out;
}

export async function createEngine(settings: EngineSettings): Promise<Engine> {
  switch (settings.engine) {
    case 'duckdb':
      return ENGINES.duckdb.create(settings);
    case 'athena':
      return ENGINES.athena.create(settings);
  }
}
