import type * as Zod from 'zod';
import { SCALAR_TYPES } from '../params/types.js';
import { zod } from '../zod-on-demand.js';

/*
 * The schemas of a query's metadata, built on first use: the pack is checked when its
 * files change and served from its cache otherwise (src/pack/load.ts), so most commands
 * never load zod for them (src/zod-on-demand.ts).
 */

/** A parameter's declaration (`params:` of a query's metadata). */
export function paramSpecSchema(z: typeof Zod = zod()) {
  const Scalar = z.union([z.string(), z.number(), z.boolean()]);
  return z
    .object({
      type: z.enum([...SCALAR_TYPES, 'list']),
      of: z.enum(SCALAR_TYPES).optional(),
      values: z.array(z.string()).optional(),
      required: z.boolean().optional(),
      default: z.union([Scalar, z.array(Scalar)]).optional(),
      min: z.number().optional(),
      max: z.number().optional(),
      help: z.string().min(1),
      example: z.union([Scalar, z.array(Scalar)]).optional(),
    })
    .strict()
    .superRefine((p, ctx) => {
      const base = p.type === 'list' ? p.of : p.type;
      if (p.type === 'list' && !p.of) ctx.addIssue({ code: 'custom', message: 'a list parameter needs `of`' });
      if (p.type !== 'list' && p.of) ctx.addIssue({ code: 'custom', message: '`of` only goes with type list' });
      if (base === 'enum' && !(p.values && p.values.length > 0))
        ctx.addIssue({ code: 'custom', message: 'an enum parameter needs `values`' });
      if (p.required && p.default !== undefined) ctx.addIssue({ code: 'custom', message: 'a required parameter cannot have a default' });
    });
}

function buildQueryMetaSchema(z: typeof Zod = zod()) {
  return z
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
      params: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'parameter names are snake_case'), paramSpecSchema(z)).default({}),
      /** The columns the query returns, in order. */
      columns: z.array(z.string()).min(1),
    })
    .strict();
}

let built: ReturnType<typeof buildQueryMetaSchema> | undefined;

/** A query's metadata (`queries/<group>/<id>.yaml`); its test cases live beside it in `<id>.test.yaml`, read only by the tests. */
export function queryMetaSchema(): ReturnType<typeof buildQueryMetaSchema> {
  built ??= buildQueryMetaSchema();
  return built;
}

export type QueryMeta = Zod.infer<ReturnType<typeof buildQueryMetaSchema>>;
