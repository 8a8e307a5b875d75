import { exec } from './exec.js';
import { processIO } from './io.js';
import { quietDependencyWarnings } from './warnings.js';

/** Process entry: wire signals to an AbortSignal, run, set the exit code. */
quietDependencyWarnings(process.argv.includes('--debug'));
const controller = new AbortController();
let interrupted = 0;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    interrupted++;
    if (interrupted > 1) process.exit(130);
    process.stderr.write(`\ncasebook: ${sig} received, cancelling...\n`);
    controller.abort();
  });
}
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
});
const code = await exec(process.argv.slice(2), processIO(controller.signal));
process.exitCode = code;
