import type { AthenaClient } from '@aws-sdk/client-athena';
import type { GlueClient } from '@aws-sdk/client-glue';
import type { S3Client } from '@aws-sdk/client-s3';
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { FinalizeRequestMiddleware, MiddlewareStack } from '@smithy/types';
import type { AwsSettings } from './settings.js';
import { tagEndpoint } from './errors.js';

/**
 * The one factory of AWS SDK clients (Athena, Glue, S3, ...), all from one
 * `AwsSettings`: region and credentials from the standard AWS chain (environment,
 * profile, SSO, container and instance roles) unless --region/--profile say otherwise
 * (the SDK's `profile` setting reads both the profile's credentials and its region);
 * --endpoint-url; every HTTP request limited to --timeout; and one attempt per call:
 * casebook retries throttling and transient failures itself (src/aws/call.ts), with
 * messages that say so, so the SDK's own retries never nest under casebook's.
 */
export function clientConfig(s: AwsSettings) {
  return {
    region: s.region,
    profile: s.profile,
    endpoint: s.endpointUrl,
    maxAttempts: 1,
    requestHandler: { connectionTimeout: s.timeoutMs, requestTimeout: s.timeoutMs },
  };
}

/**
 * The SDK warns on every run under Node 20 that SDK releases after January 2027 will
 * need Node 22: noise on an analyst's stderr, about versions casebook does not use.
 * Opt out (the SDK's own switch) unless the user set it.
 */
function quietSdk(): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}

interface HttpRequestLike {
  protocol?: string;
  hostname?: string;
  port?: number;
}
interface WithStack {
  middlewareStack: Pick<MiddlewareStack<object, object>, 'add'>;
}

/** Record on each failure the endpoint the request went to, for the message (src/aws/errors.ts). */
function recordEndpoint<C extends WithStack>(client: C): C {
  const middleware: FinalizeRequestMiddleware<object, object> = (next) => async (args) => {
    try {
      return await next(args);
    } catch (err) {
      const r = args.request as HttpRequestLike | undefined;
      if (r?.hostname) tagEndpoint(err, `${r.protocol ?? 'https:'}//${r.hostname}${r.port ? `:${r.port}` : ''}`);
      throw err;
    }
  };
  client.middlewareStack.add(middleware, { step: 'finalizeRequest', name: 'casebookEndpoint', priority: 'low' });
  return client;
}

export async function createAthenaClient(s: AwsSettings): Promise<AthenaClient> {
  quietSdk();
  const { AthenaClient } = await import('@aws-sdk/client-athena');
  return recordEndpoint(new AthenaClient(clientConfig(s)));
}

export async function createGlueClient(s: AwsSettings): Promise<GlueClient> {
  quietSdk();
  const { GlueClient } = await import('@aws-sdk/client-glue');
  return recordEndpoint(new GlueClient(clientConfig(s)));
}

export async function createS3Client(s: AwsSettings): Promise<S3Client> {
  quietSdk();
  const { S3Client } = await import('@aws-sdk/client-s3');
  return recordEndpoint(new S3Client({ ...clientConfig(s), followRegionRedirects: true, forcePathStyle: s.endpointUrl !== undefined }));
}

/** CloudTrail clients by region (ListPublicKeys is answered by a trail's home region), made on first use. */
export async function cloudTrailClients(s: AwsSettings): Promise<(region: string) => CloudTrailClient> {
  quietSdk();
  const { CloudTrailClient } = await import('@aws-sdk/client-cloudtrail');
  const clients = new Map<string, CloudTrailClient>();
  return (region) => {
    let c = clients.get(region);
    if (!c) {
      c = recordEndpoint(new CloudTrailClient(clientConfig({ ...s, region })));
      clients.set(region, c);
    }
    return c;
  };
}
