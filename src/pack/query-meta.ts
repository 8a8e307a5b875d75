import { z } from 'zod';
import { ParamSpecSchema } from '../params/types.js';

const Scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const ParamValues = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number()]))]));

/** What a test case expects of the result. */
export const ExpectSchema = z.object({
  /** Exact number of rows. */
  count: z.number().int().min(0).optional(),
  /** At least this many rows. */
  min_count: z.number().int().min(0).optional(),
  /** Each listed row (a subset of columns) must equal some result row. */
  rows: z.array(z.record(z.string(), Scalar)).optional(),
  /** The first rows, in order, must match these (subset of columns). */
  first: z.array(z.record(z.string(), Scalar)).optional(),
  /** No result row may match any of these (subset of columns). */
  absent: z.array(z.record(z.string(), Scalar)).optional(),
}).strict().refine((e) => Object.keys(e).length > 0, { message: 'expect needs at least one of count, min_count, rows, first, absent' });
export type Expect = z.infer<typeof ExpectSchema>;

/** Flow-log records for a test: objects keyed by flow-log field name (`dstport`, `log-status`); missing fields are written as `-`. */
const FlowRecord = z.record(z.string(), z.union([z.string(), z.number()]));

export const TestCaseSchema = z.object({
  name: z.string().min(1),
  /** Positive cases find something; negative cases prove the query stays quiet. */
  kind: z.enum(['positive', 'negative']),
  params: ParamValues.default({}),
  /** Records written into a temporary lake in the exact S3 layout. Omit to run on the shared real lake. */
  records: z.object({
    cloudtrail: z.array(z.record(z.string(), z.unknown())).optional(),
    vpc_flow_logs: z.array(FlowRecord).optional(),
  }).strict().optional(),
  /** `real` runs the case over ../shared/data/real-lake instead of records. */
  lake: z.enum(['records', 'real']).default('records'),
  expect: ExpectSchema,
}).strict();
export type TestCase = z.infer<typeof TestCaseSchema>;

export const QueryMetaSchema = z.object({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'ids are kebab-case'),
  title: z.string().min(1),
  description: z.string().min(1),
  audience: z.array(z.enum(['security', 'compliance', 'cost', 'operations'])).min(1),
  tables: z.array(z.enum(['cloudtrail', 'vpc_flow_logs'])).min(1),
  severity: z.enum(['info', 'low', 'medium', 'high', 'critical']).optional(),
  mitre: z.array(z.string().regex(/^T\d{4}(\.\d{3})?$/)).optional(),
  tags: z.array(z.string()).optional(),
  /** Limits of the answer: what the logs cannot show (e.g. data events must be enabled). */
  caveats: z.string().optional(),
  params: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'parameter names are snake_case'), ParamSpecSchema).default({}),
  /** The columns the query returns, in order. */
  columns: z.array(z.string()).min(1),
  tests: z.array(TestCaseSchema).min(2),
}).strict();
export type QueryMeta = z.infer<typeof QueryMetaSchema>;
