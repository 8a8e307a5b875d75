// `npm run demo`: make the sample lake if it is missing, import it into its Parquet
// store (the fast path: queries read a few Parquet files instead of tens of thousands of
// small gzipped ones), then run a few canned investigations and show what they found. Needs `npm run build` first (the
// npm script does it).
import { existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exec } from '../dist/src/cli/exec.js';
import { processIO } from '../dist/src/cli/io.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lake = join(root, 'sample-lake');
const io = processIO();

async function step(title, argv) {
  io.stdout(`\n=== ${title}\n$ casebook ${argv.join(' ')}\n`);
  const code = await exec(argv, io);
  if (code !== 0) {
    io.stderr(`demo: step failed with exit code ${code}\n`);
    process.exit(code);
  }
}

if (!existsSync(join(lake, 'AWSLogs'))) {
  await step('Writing the sample lake (14 days, 3 accounts, 3 regions, with planted incidents)', ['sample', '--out', lake]);
}
// Incremental: a second demo converts nothing and takes a second.
await step('Importing it into the Parquet store (once; every query after this reads the store)', ['import', '--lake', lake]);
const common = ['--lake', lake, '--since', '7d'];
await step('Who deleted the audit-log bucket?', ['run', 'who-deleted', '--resource', 'casebook-prod-audit-logs', ...common]);
await step('Was logging tampered with?', ['run', 'trail-tampering', ...common]);
await step('Who keeps getting access denied?', ['run', 'access-denied', '--min-count', '5', ...common]);
await step('Everything mallory did', ['run', 'principal-activity', '--principal', 'mallory', '--writes-only', ...common]);
await step('Rejected traffic to SSH', ['run', 'rejected-traffic', '--port', '22', '--limit', '5', ...common]);
await step('Top talkers', ['run', 'top-talkers', '--limit', '5', ...common]);
io.stdout('\nMore: `npx casebook list` shows every investigation; `npx casebook show <query>` explains one.\n');
