import { CasebookError } from '../../errors.js';

/** Most result pages read for one query (1,000 rows each: 100 million rows). */
export const MAX_PAGES = 100_000;
/** Most pages in a row without a single row: a service that only hands back tokens is not making progress. */
export const MAX_EMPTY_PAGES = 100;

/**
 * Watches GetQueryResults paging so a misbehaving endpoint cannot keep casebook
 * fetching forever: a NextToken seen before (a loop), more than MAX_PAGES pages, or
 * MAX_EMPTY_PAGES empty pages in a row end the read with one error naming the query.
 */
export class PageGuard {
  private readonly seen = new Set<string>();
  private pages = 1;
  private empty = 0;

  constructor(
    private readonly queryId: string,
    private readonly limits = { maxPages: MAX_PAGES, maxEmptyPages: MAX_EMPTY_PAGES },
  ) {}

  /** Call with each page's row count and its NextToken before fetching the next page. */
  next(rows: number, token: string): void {
    this.empty = rows === 0 ? this.empty + 1 : 0;
    if (this.seen.has(token)) {
      throw new CasebookError(
        `Athena returned a NextToken it had returned before while paging the results of query ${this.queryId} (page ${this.pages}); stopped reading to avoid a loop`,
      );
    }
    if (this.pages >= this.limits.maxPages) {
      throw new CasebookError(
        `the results of Athena query ${this.queryId} run past ${this.limits.maxPages} pages; stopped reading (add a LIMIT, or read the result file in S3)`,
      );
    }
    if (this.empty >= this.limits.maxEmptyPages) {
      throw new CasebookError(
        `Athena returned ${this.empty} result pages in a row without rows for query ${this.queryId}; stopped reading`,
      );
    }
    this.seen.add(token);
    this.pages++;
  }
}
