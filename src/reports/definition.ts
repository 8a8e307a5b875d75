import { z } from 'zod';

/** Parameter values a section passes to its query (the period supplies since/until). */
const ParamValues = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number()]))]));

const Column = z.string().min(1);
const ValueFormat = z.enum(['number', 'bytes', 'usd']);

/** A horizontal bar chart of the first rows: one bar per row (rows valued 0 are left out), labelled by one or more columns. */
export const BarChartSchema = z
  .object({
    type: z.literal('bar'),
    title: z.string().min(1).optional(),
    /** Column(s) naming each bar; several are joined with an arrow (`srcaddr → dstaddr`). */
    label: z.union([Column, z.array(Column).min(1)]).transform((v) => (Array.isArray(v) ? v : [v])),
    /** Between the label columns; default an arrow (source → destination). */
    join: z.string().max(10).default(' → '),
    /** Numeric column giving each bar's length. */
    value: Column,
    /** Bars shown (the first rows, in the query's order). */
    top: z.number().int().min(1).max(50).default(15),
    /** How values are printed; default from the column name (bytes, cost/usd, else number). */
    format: ValueFormat.optional(),
  })
  .strict();

/** One column (or line point) per UTC day of the period: rows counted, or a column summed, by the day of a time column. */
export const PerDayChartSchema = z
  .object({
    type: z.literal('per-day'),
    title: z.string().min(1).optional(),
    /** Column holding an ISO-8601 time or a YYYY-MM-DD day. */
    time: Column,
    /** Numeric column to sum per day; default: count the rows. */
    value: Column.optional(),
    /** Column splitting the line into one line per value (the largest six; the rest as "other"). */
    series: Column.optional(),
    /** Stacked columns (default), or lines. */
    style: z.enum(['columns', 'line']).optional(),
    format: ValueFormat.optional(),
  })
  .strict();

export const ChartSchema = z.discriminatedUnion('type', [BarChartSchema, PerDayChartSchema]);
export type ChartSpec = z.infer<typeof ChartSchema>;
export type BarChartSpec = z.infer<typeof BarChartSchema>;
export type PerDayChartSpec = z.infer<typeof PerDayChartSchema>;

export const SectionSchema = z
  .object({
    /** Id of a query in the pack. */
    query: z.string().min(1),
    /** Heading; default the query's title. */
    title: z.string().min(1).optional(),
    /** Why this section is in the report; default the query's description. */
    purpose: z.string().min(1).optional(),
    /** What a reviewer should look for in the result: one or two sentences. */
    review: z.string().min(1),
    /** The query's own parameters (not since/until: the report period sets the window). */
    params: ParamValues.default({}),
    /** One chart, or several, drawn from the section's rows. */
    chart: z
      .union([ChartSchema, z.array(ChartSchema)])
      .optional()
      .transform((c) => (c === undefined ? [] : Array.isArray(c) ? c : [c])),
  })
  .strict();
export type SectionDef = z.infer<typeof SectionSchema>;

export const ReportDefSchema = z
  .object({
    title: z.string().min(1),
    description: z.string().min(1),
    /** Controls the report supports, as free text ("CIS AWS Foundations 3.1", "SOC 2 CC7.2"). */
    controls: z.array(z.string().min(1)).min(1),
    /** What the report cannot show: gaps a reviewer should know of. */
    limitations: z.string().min(1).optional(),
    sections: z.array(SectionSchema).min(1),
  })
  .strict();
export type ReportDefinition = z.infer<typeof ReportDefSchema>;
