import { PAGE_SIZES, type PageSize } from '../wire/describe-backups.js';

/** The most items one client window may hold; one page of the largest size always covers it. */
export const MAX_WINDOW = 300;

/**
 * How one client window [offset, offset + count) is fetched: every call uses the same PageSize
 * and the calls ask for consecutive PageNumbers firstPage..lastPage.
 */
export interface PagePlan {
  pageSize: PageSize;
  /** 1-based PageNumber of the first call. */
  firstPage: number;
  /** 1-based PageNumber of the last call; equal to firstPage for a single call. */
  lastPage: number;
  /** lastPage - firstPage + 1. */
  calls: number;
  /** The most rows the calls can return: pageSize * calls. */
  rows: number;
  /** Rows to drop from the start of firstPage to reach offset: offset - (firstPage - 1) * pageSize. */
  skip: number;
}

/** One upstream call of a plan. */
export interface PageRequest {
  pageSize: PageSize;
  pageNumber: number;
}

/** Absolute row indices [start, end) of the sorted backup list that one page holds. */
export interface RowRange {
  start: number;
  end: number;
}

function checkWindow(offset: number, count: number): void {
  if (typeof offset !== 'number' || !Number.isInteger(offset)) {
    throw new TypeError(`offset must be an integer; received ${String(offset)}`);
  }
  if (offset < 0 || !Number.isSafeInteger(offset)) {
    throw new RangeError(`offset must be a non-negative safe integer; received ${offset}`);
  }
  if (typeof count !== 'number' || !Number.isInteger(count)) {
    throw new TypeError(`count must be an integer; received ${String(count)}`);
  }
  if (count < 0 || count > MAX_WINDOW) {
    throw new RangeError(`count must be between 0 and ${MAX_WINDOW}; received ${count}`);
  }
  // The last row index must stay exact, or the page arithmetic below silently rounds.
  if (!Number.isSafeInteger(offset + count)) {
    throw new RangeError(
      `offset + count must be a safe integer; received offset ${offset} and count ${count}`,
    );
  }
}

function planFor(pageSize: PageSize, offset: number, count: number): PagePlan {
  const firstPage = Math.floor(offset / pageSize) + 1;
  const lastPage = Math.floor((offset + count - 1) / pageSize) + 1;
  const calls = lastPage - firstPage + 1;

  return {
    pageSize,
    firstPage,
    lastPage,
    calls,
    rows: pageSize * calls,
    skip: offset - (firstPage - 1) * pageSize,
  };
}

/**
 * Plans the upstream DescribeBackups calls that cover the window [offset, offset + count) of an
 * instance's sorted backup list. The API pages only by (PageNumber, PageSize), so the window is
 * fetched with one PageSize for all its pages, chosen by, in order:
 *
 * 1. the fewest calls (each costs a round trip and a share of the throttling budget);
 * 2. then the fewest rows fetched (bytes on the wire and rows parsed only to be dropped);
 * 3. then the smaller page size. Since rows = pageSize * calls, two sizes never tie on both
 *    calls and rows, so this rule only makes the order total; it never decides in practice.
 *
 * A window of at most 300 items always fits in two calls of some size, and often in one.
 *
 * @param offset - Absolute index of the window's first item; a non-negative safe integer.
 * @param count - Items in the window; an integer from 0 to 300.
 * @returns The plan, or null when count is 0 (nothing to fetch).
 * @throws TypeError when an argument is not an integer; RangeError when it is out of range.
 */
export function planUpstreamPages(offset: number, count: number): PagePlan | null {
  checkWindow(offset, count);
  if (count === 0) {
    return null;
  }

  let best: PagePlan | null = null;
  for (const pageSize of PAGE_SIZES) {
    const candidate = planFor(pageSize, offset, count);
    if (best === null || isBetter(candidate, best)) {
      best = candidate;
    }
  }

  return best;
}

function isBetter(a: PagePlan, b: PagePlan): boolean {
  if (a.calls !== b.calls) {
    return a.calls < b.calls;
  }
  if (a.rows !== b.rows) {
    return a.rows < b.rows;
  }

  return a.pageSize < b.pageSize;
}

/** Lists the calls of a plan in PageNumber order. */
export function pagesOf(plan: PagePlan): PageRequest[] {
  const pages: PageRequest[] = [];
  for (let pageNumber = plan.firstPage; pageNumber <= plan.lastPage; pageNumber += 1) {
    pages.push({ pageSize: plan.pageSize, pageNumber });
  }

  return pages;
}

/**
 * The absolute rows [start, end) that one of the plan's pages holds when the list is long enough;
 * a short last page simply returns fewer.
 *
 * @throws RangeError when pageNumber is not one of the plan's pages.
 */
export function rowRange(plan: PagePlan, pageNumber: number): RowRange {
  if (!Number.isInteger(pageNumber) || pageNumber < plan.firstPage || pageNumber > plan.lastPage) {
    throw new RangeError(
      `pageNumber must be an integer from ${plan.firstPage} to ${plan.lastPage}; received ${pageNumber}`,
    );
  }
  const start = (pageNumber - 1) * plan.pageSize;

  return { start, end: start + plan.pageSize };
}
