/** Default time limit of each AWS call (`--timeout`). */
export const DEFAULT_TIMEOUT_MS = 30_000;
