import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { exec } from '../src/cli/exec.js';
import type { CliIO } from '../src/cli/io.js';
import { nextCommands } from '../src/cli/next.js';
import { cli } from './support/cli.js';
import { tempDir } from './support/harness.js';
import { writeFixtureLake } from './report-fixture.js';

const WINDOW = ['--since', '2024-03-01', '--until', '2024-03-04'];

async function onTerminal(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    stderrIsTTY: true,
    stdoutColumns: 100,
    env: {},
    cwd: process.cwd(),
  };
  const code = await exec(argv, io);
  return { code, stdout, stderr };
}

describe('pivoting: values copied from one answer are accepted by the next query', () => {
  it.each([
    ['AWS Internal', "sourceipaddress = 'AWS Internal'"],
    ['aws internal', "sourceipaddress = 'AWS Internal'"],
    ['ec2.amazonaws.com', "sourceipaddress = 'ec2.amazonaws.com'"],
    ['08.1.250.216', "sourceipaddress = '08.1.250.216'"],
    ['203.0.113.66', "sourceipaddress = '203.0.113.66'"],
  ])('--ip %s is matched as text against sourceIPAddress', async (value, sql) => {
    const r = await cli(['render', 'ip-investigation', '--ip', value]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(sql);
  });

  it('still refuses what is no sourceIPAddress, quotes included', async () => {
    for (const v of ['not-an-ip', "10.0.0.1' OR 1=1", 'ec2.amazonaws.com; drop']) {
      const r = await cli(['render', 'ip-investigation', '--ip', v]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/is not an IPv4 or IPv6 address, nor another sourceIPAddress CloudTrail writes/);
    }
  });

  it('takes --ip on source-ip-activity too (one name per concept; --source-ip still works), and points a non-address to ip-investigation', async () => {
    const a = await cli(['render', 'source-ip-activity', '--ip', '203.0.113.0/24']);
    const b = await cli(['render', 'source-ip-activity', '--source-ip', '203.0.113.0/24']);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const c = await cli(['render', 'source-ip-activity', '--ip', 'AWS Internal']);
    expect(c.code).toBe(2);
    expect(c.stderr).toContain("followed with: casebook run ip-investigation --ip 'AWS Internal'");
  });
});

describe('pivoting: next investigations suggested after a run on a terminal', () => {
  const tmp = tempDir('casebook-pivot-');
  afterAll(() => tmp.cleanup());

  it('fills in the principal, the address and the resource, escaped for the shell', () => {
    const lines = nextCommands(
      'who-deleted',
      { resource: 'my bucket' },
      [
        { principal: "arn:aws:iam::111122223333:user/o'brien", sourceipaddress: 'AWS Internal' },
        { principal: 'evil\u001b[31m', sourceipaddress: '203.0.113.66' },
      ],
      ['--since 7d'],
    );
    expect(lines).toEqual([
      "casebook run principal-activity --principal 'arn:aws:iam::111122223333:user/o'\\''brien' --since 7d    # its activity",
      "casebook run principal-network-footprint --principal 'arn:aws:iam::111122223333:user/o'\\''brien' --since 7d    # its network footprint",
      "casebook run ip-investigation --ip 'AWS Internal' --since 7d    # its calls and flows",
      'casebook run ip-investigation --ip 203.0.113.66 --since 7d    # its calls and flows',
      'casebook run traffic-for-address --ip 203.0.113.66 --since 7d    # its flows',
      "casebook run resource-history --resource 'my bucket' --since 7d    # its history",
    ]);
    // The same investigation with the same value is not suggested again.
    expect(nextCommands('principal-activity', { principal: 'bob' }, [{ principal: 'bob' }]).join('\n')).not.toContain('principal-activity');
  });

  it('prints them on stderr after a run on a terminal, never when piped', async () => {
    const lake = join(tmp.dir, 'lake');
    writeFixtureLake(lake);
    const tty = await onTerminal(['run', 'trail-tampering', '--lake', lake, ...WINDOW]);
    expect(tty.code, tty.stderr).toBe(0);
    // Each line fits the 100-column terminal with its comment, or goes without it.
    expect(tty.stderr).toMatch(
      /^next:\n {2}casebook run principal-activity --principal \S+ --since 2024-03-01 --until 2024-03-04 --lake \S+$/m,
    );
    for (const l of tty.stderr.split('next:\n')[1]!.trimEnd().split('\n'))
      expect(l.includes('    # ') ? l.length <= 100 : true, l).toBe(true);
    expect(tty.stderr).toMatch(/casebook run ip-investigation --ip \S+ --since 2024-03-01/);
    expect(tty.stdout).not.toContain('next:');
    const piped = await cli(['run', 'trail-tampering', '--lake', lake, ...WINDOW]);
    expect(piped.stderr).not.toContain('next:');
    // Each suggestion runs as printed.
    const line = /casebook run (principal-activity .*?)( {4}#.*)?$/m.exec(tty.stderr)![1]!;
    const argv = ['run', ...(line.match(/'[^']*'|\S+/g) ?? []).map((w) => w.replace(/^'|'$/g, ''))];
    const next = await cli(argv);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stdout).toContain('UpdateTrail');
    expect(line).toContain('arn:aws:iam::111122223333:user/bob');
  });
});
