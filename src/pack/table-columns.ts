import { getTable } from '../tables/model.js';
import { defaultFlowFormat, mapFlowFields, type FlowFormat } from '../glue/flow-format.js';

/**
 * The columns each table has, as the query is rendered for it: the render context's
 * answer to `{{#if (has_column "vpc_flow_logs" "pkt_srcaddr")}}`.
 *
 * CloudTrail's table always has every column of its schema. A flow-log table has the
 * columns of its flow log's format (the fields, hyphens to underscores) plus the
 * partition columns: `casebook ddl vpc_flow_logs` without a format, and so Athena's
 * table by default, has the 14 fields of the default (version 2) format. A format is
 * declared as `vpc_flow_logs: {format: ...}` or `{header_from: ...}` (or `lake:
 * format`) in the config file, the same setting `casebook setup` and `ddl` read.
 */
export type TableColumns = Readonly<Record<string, ReadonlySet<string>>>;

/** Every field casebook knows, as a format: the table `casebook ddl --format` makes from all of them. */
export function allFieldsFlowFormat(): FlowFormat {
  return { fields: getTable('vpc_flow_logs').columns.map((c) => c.sourceName), source: 'every flow-log field' };
}

/** The columns of a flow-log table with this format (default: the version 2 format), partitions included. */
export function flowLogColumns(format: FlowFormat = defaultFlowFormat()): Set<string> {
  const t = getTable('vpc_flow_logs');
  const known = new Set(t.columns.map((c) => c.name));
  const out = new Set<string>();
  for (const f of mapFlowFields(format, t).fields) if (known.has(f.column)) out.add(f.column);
  for (const p of t.partitions) out.add(p.name);
  return out;
}

/** The columns of every table, for a flow log of this format. */
export function tableColumns(flowFormat?: FlowFormat): TableColumns {
  const ct = getTable('cloudtrail');
  return {
    cloudtrail: new Set([...ct.columns, ...ct.partitions].map((c) => c.name)),
    vpc_flow_logs: flowLogColumns(flowFormat),
  };
}
