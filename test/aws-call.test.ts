import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { exec } from '../src/cli/exec.js';
import type { CliIO } from '../src/cli/io.js';

/**
 * The real SDK clients casebook builds (src/aws/client.ts) against a loopback HTTP
 * server: one attempt per SDK call, so casebook's retries are the only ones; every
 * client honours --endpoint-url, --profile, --timeout and --retries; messages name the
 * endpoint actually called.
 */
let server: Server;
let endpoint: string;
const sockets = new Set<Socket>();
let requests: { target: string; url: string }[] = [];
let answer: (req: IncomingMessage, res: ServerResponse) => void = () => undefined;

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push({ target: String(req.headers['x-amz-target'] ?? ''), url: req.url ?? '' });
    req.resume();
    req.on('end', () => answer(req, res));
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  endpoint = `http://127.0.0.1:${address.port}`;
});

beforeEach(() => {
  requests = [];
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDEXAMPLE');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
  vi.stubEnv('AWS_SESSION_TOKEN', '');
  vi.stubEnv('AWS_PROFILE', '');
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
  vi.stubEnv('AWS_CONFIG_FILE', '/nonexistent/aws-config');
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', '/nonexistent/aws-credentials');
});

afterEach(() => vi.unstubAllEnvs());

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function throttle(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': 'ThrottlingException' });
  res.end(JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }));
}

function io(env: Record<string, string> = {}): CliIO & { err: () => string } {
  let err = '';
  return {
    stdout: () => undefined,
    stderr: (t) => {
      err += t;
    },
    stderrIsTTY: false,
    env,
    cwd: process.cwd(),
    now: () => new Date('2025-06-15T12:00:00Z'),
    err: () => err,
  };
}

const SETUP = [
  'setup',
  '--location',
  's3://logs-bucket/',
  '--accounts',
  '111122223333',
  '--regions',
  'us-east-1',
  '--start-date',
  '2024-01-01',
  '--region',
  'us-east-1',
];
const RUN = [
  'run',
  'who-deleted',
  '--resource',
  'x',
  '--since',
  '2024-03-01',
  '--until',
  '2024-03-02',
  '--engine',
  'athena',
  '--region',
  'us-east-1',
];

describe('one AWS call path', () => {
  it('setup: Glue goes to --endpoint-url, and a throttled call is retried --retries times by casebook alone (the SDK makes one attempt)', async () => {
    answer = throttle;
    const c = io();
    const code = await exec([...SETUP, '--endpoint-url', endpoint, '--retries', '2'], c);
    expect(code).toBe(1);
    expect(c.err()).toContain('casebook: Glue kept throttling GetDatabase casebook (ThrottlingException: Rate exceeded) after 3 attempts');
    // 3 attempts in all: with the SDK's own retries nested under casebook's there would be 9.
    expect(requests.map((r) => r.target)).toEqual(['AWSGlue.GetDatabase', 'AWSGlue.GetDatabase', 'AWSGlue.GetDatabase']);
  }, 20_000);

  it('run on Athena: the same policy, --retries from CASEBOOK_RETRIES', async () => {
    answer = throttle;
    const c = io({ CASEBOOK_RETRIES: '1' });
    const code = await exec([...RUN, '--endpoint-url', endpoint], c);
    expect(code).toBe(1);
    // The first call (reading the workgroup's settings) is throttled twice, then the engine gives up.
    expect(c.err()).toMatch(
      /^casebook: Athena kept throttling GetWorkGroup \(ThrottlingException: Rate exceeded\); gave up after 2 attempts/,
    );
    expect(requests.map((r) => r.target)).toEqual(['AmazonAthena.GetWorkGroup', 'AmazonAthena.GetWorkGroup']);
  }, 20_000);

  it('setup: Glue honours --timeout and names the endpoint called', async () => {
    answer = () => undefined; // accept, never answer
    const c = io();
    const started = Date.now();
    const code = await exec([...SETUP, '--endpoint-url', endpoint, '--timeout', '0.5s', '--retries', '0'], c);
    expect(code).toBe(1);
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(c.err()).toContain(`casebook: no answer from Glue at ${endpoint} to GetDatabase within 0.5 s (--timeout)`);
  }, 20_000);

  it('setup: Glue honours --profile (a missing profile is named; nothing is sent)', async () => {
    answer = throttle;
    const c = io();
    const code = await exec([...SETUP, '--endpoint-url', endpoint, '--profile', 'no-such-profile', '--retries', '0'], c);
    expect(code).toBe(1);
    expect(c.err()).toMatch(/no-such-profile/);
    expect(requests).toHaveLength(0);
  }, 20_000);

  it('names the endpoint actually called when it comes from AWS_ENDPOINT_URL, not the default AWS host', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    vi.stubEnv('AWS_ENDPOINT_URL', `http://127.0.0.1:${port}`);
    const c = io();
    const code = await exec([...RUN, '--retries', '0'], c);
    expect(code).toBe(1);
    expect(c.err()).toContain(`cannot reach Athena at http://127.0.0.1:${port} (ECONNREFUSED`);
    expect(c.err()).not.toContain('amazonaws.com');
  }, 20_000);
});
