import type { DuckDBConnection } from '@duckdb/node-api';

/**
 * Progress of a local query, for a terminal: the phase, and the log files read of the
 * total (estimated from DuckDB's own progress of the scan), every half second.
 * Returns the function that stops it.
 */
export async function watchProgress(
  c: DuckDBConnection,
  phase: string,
  totalFiles: number,
  onProgress: ((m: string) => void) | undefined,
  intervalMs = 500,
): Promise<() => void> {
  if (!onProgress) return () => undefined;
  // DuckDB measures a query's progress only with its progress bar on; it prints nothing here.
  try {
    await c.run('SET enable_progress_bar = true');
    await c.run('SET enable_progress_bar_print = false');
    await c.run('SET progress_bar_time = 0');
  } catch {
    // An older DuckDB without these settings: the line shows the phase and the total only.
  }
  const started = performance.now();
  const tell = () => {
    let pct = -1;
    try {
      pct = c.progress.percentage;
    } catch {
      // No query running yet, or it just ended.
    }
    const secs = ((performance.now() - started) / 1000).toFixed(1);
    const files =
      pct >= 0
        ? `${Math.min(totalFiles, Math.round((pct / 100) * totalFiles)).toLocaleString('en-US')} of ${totalFiles.toLocaleString('en-US')} files (${Math.floor(pct)} %)`
        : `${totalFiles.toLocaleString('en-US')} files`;
    onProgress(`duckdb: ${phase}, ${files}, ${secs} s`);
  };
  tell();
  const timer = setInterval(tell, intervalMs);
  timer.unref?.();
  return () => clearInterval(timer);
}
