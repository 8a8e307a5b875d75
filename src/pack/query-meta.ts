import { z } from 'zod';
import { ParamSpecSchema } from '../params/types.js';

/** A query's metadata (`queries/<group>/<id>.yaml`); its test cases live beside it in `<id>.test.yaml`, read only by the tests. */
export const QueryMetaSchema = z
  .object({
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
  })
  .strict();
export type QueryMeta = z.infer<typeof QueryMetaSchema>;
