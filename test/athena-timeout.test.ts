import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { exec } from '../src/cli/exec.js';
import type { CliIO } from '../src/cli/io.js';

/**
 * The real SDK against a local endpoint that accepts connections and never answers:
 * the CLI must fail within --timeout with a line that says what to check, not hang.
 */
let server: Server;
let endpoint: string;
const sockets = new Set<Socket>();
let requests = 0;
let requestAt = 0;

beforeAll(async () => {
  server = createServer(() => {
    requests++;
    requestAt = Date.now(); /* accept, read, never answer */
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  endpoint = `http://127.0.0.1:${address.port}`;
  // Dummy credentials for the SDK's standard chain; no instance metadata lookups.
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDEXAMPLE');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
  vi.stubEnv('AWS_SESSION_TOKEN', '');
  vi.stubEnv('AWS_PROFILE', '');
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
  vi.stubEnv('AWS_CONFIG_FILE', '/nonexistent/aws-config');
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', '/nonexistent/aws-credentials');
});

afterAll(async () => {
  vi.unstubAllEnvs();
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('an Athena endpoint that never answers', () => {
  it('fails within --timeout with a clear message', async () => {
    let stderr = '';
    const io: CliIO = {
      stdout: () => undefined,
      stderr: (t) => {
        stderr += t;
      },
      stderrIsTTY: false,
      env: {},
      cwd: process.cwd(),
    };
    const started = Date.now();
    const code = await exec(
      [
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
        '--endpoint-url',
        endpoint,
        '--timeout',
        '1s',
      ],
      io,
    );
    const ended = Date.now();
    expect(code).toBe(1);
    expect(stderr).toMatch(
      new RegExp(
        `^casebook: no answer from Athena at ${endpoint.replace(/\./g, '\\.')} to \\w+ within 1\\.0 s \\(--timeout\\) — the endpoint is unreachable or too slow: check the network, proxy, --region and --endpoint-url, or raise --timeout\\n$`,
      ),
    );
    // From the request reaching the silent endpoint to the failure: the 1 s limit, not the
    // SDK's minutes. (Before it: loading the pack and the SDK, which a cold start makes slow.)
    // The limit starts when the client sends, a little before the server sees the request,
    // and a loaded machine delays both ends: hence the margins.
    expect(ended - requestAt).toBeGreaterThanOrEqual(500);
    expect(ended - requestAt).toBeLessThan(3000);
    expect(ended - started).toBeLessThan(10_000);
    // The request did reach the endpoint (the timeout is the server's silence, not a refused connection).
    expect(requests).toBe(1);
  }, 15_000);
});
