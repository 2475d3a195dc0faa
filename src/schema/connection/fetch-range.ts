import type { BackupLoaders } from '../../loaders/backup-loaders.js';
import {
  MAX_WINDOW,
  type PagePlan,
  pagesOf,
  planUpstreamPages,
} from '../../paging/page-planner.js';
import type { Backup, DescribeBackupsPage } from '../../tair/types.js';
import type { BackupPageQuery } from './arguments.js';

/** Rows of the sorted backup list, fetched page by page and joined. */
export interface FetchedRows {
  /** Absolute offset of rows[0]. */
  base: number;
  /**
   * One slot per upstream position: null where upstream sent an item the client had to drop,
   * so that every backup keeps the offset upstream gives it.
   */
  rows: (Backup | null)[];
  /** The smallest TotalCount upstream reported, lowered to the proven end of the list. */
  totalCount: number;
}

/**
 * Chooses the plan for [start, end). When `anchorAt` (a cursor's own row) can be covered without
 * an extra call it is fetched too, so the cursor's anchor can be checked; when covering it would
 * cost a call (a full 300-row window off a page boundary), it is left out and not checked.
 */
export function chooseRangePlan(start: number, end: number, anchorAt: number | null): PagePlan {
  // An empty window still needs one page: `first: 0` answers totalCount.
  const plain = planUpstreamPages(start, Math.max(end - start, 1))!;
  if (anchorAt === null) {
    return plain;
  }

  const low = Math.min(start, anchorAt);
  const high = Math.max(end, anchorAt + 1);
  if (high - low > MAX_WINDOW) {
    return plain;
  }

  const anchored = planUpstreamPages(low, high - low)!;

  return anchored.calls <= plain.calls ? anchored : plain;
}

/** Fetches every page of a plan in parallel through the request's loaders and joins them. */
export async function fetchPlannedRows(
  query: BackupPageQuery,
  loaders: BackupLoaders,
  plan: PagePlan,
): Promise<FetchedRows> {
  const pages = await Promise.all(
    pagesOf(plan).map(({ pageSize, pageNumber }) =>
      loaders.page({
        instanceId: query.instanceId,
        startTime: query.window.startTime,
        endTime: query.window.endTime,
        needAof: query.needAof,
        backupId: query.backupId,
        backupJobId: query.backupJobId,
        pageSize,
        pageNumber,
      }),
    ),
  );

  const seen = new Set<string>();
  const rows: (Backup | null)[] = [];
  let totalCount = Number.POSITIVE_INFINITY;
  let provenEnd = Number.POSITIVE_INFINITY;
  pages.forEach((page, index) => {
    const pageStart = (plan.firstPage - 1 + index) * plan.pageSize;
    totalCount = Math.min(totalCount, page.totalCount);
    // Items the client dropped (no usable BackupStartTime) still held a place in the page.
    const held = page.backups.length + page.droppedItems;
    if (held < plan.pageSize) {
      provenEnd = Math.min(provenEnd, pageStart + held);
    }
    // Where two pages meet, a backup inserted between the calls repeats a row: keep the first.
    for (const backup of slotsOf(page).slice(0, plan.pageSize)) {
      if (backup === null) {
        rows.push(null);
      } else if (!seen.has(backup.backupId)) {
        seen.add(backup.backupId);
        rows.push(backup);
      }
    }
  });

  return {
    base: (plan.firstPage - 1) * plan.pageSize,
    rows,
    totalCount: Math.min(totalCount, provenEnd),
  };
}

/** A page's items in upstream's order, null where the client dropped one. */
function slotsOf(page: DescribeBackupsPage): (Backup | null)[] {
  if (page.droppedAt.length === 0) {
    return page.backups;
  }
  const slots: (Backup | null)[] = [...page.backups];
  for (const index of page.droppedAt) {
    slots.splice(index, 0, null);
  }

  return slots;
}

/** The absolute offset of a backup in fetched rows, or null when they do not hold it. */
export function offsetOfBackup(fetched: FetchedRows, backupId: string): number | null {
  const index = fetched.rows.findIndex((backup) => backup?.backupId === backupId);

  return index === -1 ? null : fetched.base + index;
}

/** Whether the fetched rows reach the given absolute offset. */
export function covers(fetched: FetchedRows, offset: number): boolean {
  return offset >= fetched.base && offset < fetched.base + fetched.rows.length;
}
