import type { Argv } from 'yargs';

/** The `--config` option every command that reads settings takes. */
export function configOption<T>(y: Argv<T>, group?: string): Argv<T> {
  return y.option('config', {
    type: 'string',
    describe: 'Config file (default: casebook.config.yaml in the current directory, if present)',
    ...(group ? { group } : {}),
  });
}
