/**
 * Warnings that dependencies emit through `process.emitWarning` (the AWS SDK's notice about
 * the Node.js version it will require next, deprecations inside libraries) are not addressed
 * to the person running casebook and say nothing about their data: they are kept off stderr,
 * and shown only with --debug.
 */
export function quietDependencyWarnings(
  debug: boolean,
  write: (text: string) => void = (t) => {
    process.stderr.write(t);
  },
): void {
  // The AWS SDK's own switch for its Node.js version notice (checked when a client is built).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // Node prints warnings through its default 'warning' listener; replace it.
  process.removeAllListeners('warning');
  process.on('warning', (w: Error) => {
    if (debug) write(`casebook: (debug) ${w.name}: ${w.message.replace(/\s*\n\s*/g, ' ')}\n`);
  });
}
