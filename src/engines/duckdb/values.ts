import type { DuckDBType, DuckDBListType, DuckDBArrayType, DuckDBStructType, DuckDBMapType } from '@duckdb/node-api';
import { duckdb } from './api.js';
import type { JsonValue } from '../engine.js';

const { DuckDBTypeId, DuckDBTimestampTZValue, DuckDBTimestampValue, DuckDBDateValue, DuckDBDecimalValue } = duckdb;

function isoFromDate(d: Date): string {
  const s = d.toISOString();
  return s.endsWith('.000Z') ? `${s.slice(0, 19)}Z` : s;
}

/**
 * Convert one value as returned by DuckDB's `getRowObjectsJS` into plain JSON, guided by
 * the column type: bigint to number (or decimal string beyond 2^53), timestamps to
 * ISO-8601, dates to YYYY-MM-DD, maps to objects.
 */
export function toJson(value: unknown, type: DuckDBType): JsonValue {
  if (value === null || value === undefined) return null;
  switch (type.typeId) {
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.UHUGEINT: {
      const b = value as bigint;
      return b <= BigInt(Number.MAX_SAFE_INTEGER) && b >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(b) : b.toString();
    }
    case DuckDBTypeId.DATE:
      return value instanceof Date ? value.toISOString().slice(0, 10) : String(value);
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_TZ:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_NS:
      return value instanceof Date ? isoFromDate(value) : String(value);
    case DuckDBTypeId.LIST:
      return (value as unknown[]).map((v) => toJson(v, (type as DuckDBListType).valueType));
    case DuckDBTypeId.ARRAY:
      return (value as unknown[]).map((v) => toJson(v, (type as DuckDBArrayType).valueType));
    case DuckDBTypeId.STRUCT: {
      const st = type as DuckDBStructType;
      const obj = value as Record<string, unknown>;
      const out: Record<string, JsonValue> = {};
      for (let i = 0; i < st.entryCount; i++) out[st.entryNames[i]!] = toJson(obj[st.entryNames[i]!], st.entryTypes[i]!);
      return out;
    }
    case DuckDBTypeId.MAP: {
      const mt = type as DuckDBMapType;
      const out: Record<string, JsonValue> = {};
      for (const e of value as { key: unknown; value: unknown }[]) out[String(toJson(e.key, mt.keyType))] = toJson(e.value, mt.valueType);
      return out;
    }
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE: {
      const n = value as number;
      return Number.isFinite(n) ? n : String(n);
    }
    default:
      if (typeof value === 'bigint') return Number(value);
      if (value instanceof Date) return isoFromDate(value);
      if (
        value instanceof DuckDBTimestampTZValue ||
        value instanceof DuckDBTimestampValue ||
        value instanceof DuckDBDateValue ||
        value instanceof DuckDBDecimalValue
      )
        return value.toString();
      if (typeof value === 'object')
        return JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? Number(v) : v))) as JsonValue;
      return value as JsonValue;
  }
}

export function typeName(type: DuckDBType): string {
  return type.toString().toLowerCase();
}
