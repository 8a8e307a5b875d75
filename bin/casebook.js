#!/usr/bin/env node
import('../dist/cli/main.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/cli/main.js')) {
    process.stderr.write('casebook: not built yet: run `npm run build` (npm ci does it)\n');
    process.exit(1);
  }
  throw err;
});
