import type { BackupLoaders } from '../../loaders/backup-loaders.js';
import { type CursorPayload, cursorEncoder } from '../../paging/cursor.js';
import { MAX_WINDOW } from '../../paging/page-planner.js';
import { UpstreamError } from '../../tair/errors.js';
import type { Backup } from '../../tair/types.js';
import { StaleCursorError } from '../errors.js';
import type { BackupPageQuery } from './arguments.js';
import {
  chooseRangePlan,
  covers,
  type FetchedRows,
  fetchPlannedRows,
  offsetOfBackup,
} from './fetch-range.js';

export interface BackupEdgeShape {
  cursor: string;
  node: Backup;
}

export interface PageInfoShape {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

/** A successful page: what the connection's fields read. */
export interface BackupPage {
  edges: BackupEdgeShape[];
  pageInfo: PageInfoShape;
  totalCount: number;
}

/**
 * Resolves one page per the Relay Cursor Connections spec over PageNumber/PageSize: cursors are
 * applied first, then `first`, then `last`. Every upstream page the window needs is asked for at
 * once, so they run in parallel; only `last` without `before` needs a probe first, because where
 * the list ends is unknown until upstream says so.
 */
export async function resolveBackupPage(
  query: BackupPageQuery,
  loaders: BackupLoaders,
): Promise<BackupPage> {
  const { after, before } = query;
  let start = after ? after.offset + 1 : 0;
  let end = before ? before.offset : Number.POSITIVE_INFINITY;
  const anchor = after ? { cursor: after, argument: 'after' as const } : null;
  const backAnchor = !after && before ? { cursor: before, argument: 'before' as const } : null;
  let fetched: FetchedRows;

  if (query.first !== null) {
    end = Math.min(end, start + query.first);
    const anchorAt = anchor?.cursor.offset ?? backAnchor?.cursor.offset ?? null;
    fetched = await fetchPlannedRows(query, loaders, chooseRangePlan(start, end, anchorAt));
  } else if (before) {
    start = Math.max(start, end - query.last!);
    fetched = await fetchPlannedRows(query, loaders, chooseRangePlan(start, end, before.offset));
  } else {
    ({ fetched, start, end } = await fetchTail(query, loaders, start, query.last!));
  }

  const shift = anchorShift(fetched, anchor ?? backAnchor);
  start += shift;
  end = Math.min(end + shift, fetched.totalCount);

  let rows: (Backup | null)[];
  ({ fetched, start, end, rows } = await widenOverHoles(query, loaders, fetched, start, end));
  if (query.first !== null && query.last !== null && rows.length > query.last) {
    start += rows.length - query.last;
    rows = rows.slice(rows.length - query.last);
  }
  const encode = cursorEncoder(query.cursorContext);
  const edges: BackupEdgeShape[] = [];
  rows.forEach((node, index) => {
    if (node !== null) {
      edges.push(lazyEdge(node, () => encode(start + index, node.backupId, node.startTime)));
    }
  });

  return {
    edges,
    pageInfo: {
      hasNextPage: hasNextPage(start, rows.length, fetched.totalCount, query.first === 0),
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount: fetched.totalCount,
  };
}

/**
 * An edge whose cursor is encoded when first read: a query that selects only `node` (most list
 * views) pays nothing for cursors, and one that selects them pays once per edge.
 */
function lazyEdge(node: Backup, encode: () => string): BackupEdgeShape {
  let cursor: string | undefined;

  return {
    node,
    get cursor() {
      cursor ??= encode();

      return cursor;
    },
  };
}

/** Times a window widens over dropped items before the page is answered with fewer edges. */
const MAX_WIDEN_STEPS = 3;

/**
 * Upstream items the client had to drop (no usable BackupId or start time) keep their offsets as
 * holes. A window holding some widens over them, forwards for `first` and backwards for `last`,
 * so that the page still holds the edges asked for and its cursors lead on: a page of holes alone
 * would have no cursor to page from. Widening past the rows fetched costs a call; windows without
 * holes, all but those over malformed upstream data, never widen.
 */
async function widenOverHoles(
  query: BackupPageQuery,
  loaders: BackupLoaders,
  fetched: FetchedRows,
  start: number,
  end: number,
): Promise<{ fetched: FetchedRows; start: number; end: number; rows: (Backup | null)[] }> {
  let rows = sliceRows(fetched, start, end);
  // The edges the window was sized for; each step widens by the ones still missing.
  const wanted = rows.length;
  for (let step = 0; step < MAX_WIDEN_STEPS; step++) {
    const missing = wanted - rows.filter((row) => row !== null).length;
    const next =
      query.first === null
        ? { start: Math.max(0, start - missing), end }
        : { start, end: Math.min(end + missing, fetched.totalCount) };
    if (missing === 0 || (next.start === start && next.end === end)) {
      break;
    }
    if (!(fetched.base <= next.start && fetched.base + fetched.rows.length >= next.end)) {
      const more = await fetchPlannedRows(
        query,
        loaders,
        chooseRangePlan(next.start, next.end, null),
      );
      fetched = { ...more, totalCount: Math.min(more.totalCount, fetched.totalCount) };
    }
    ({ start, end } = next);
    rows = sliceRows(fetched, start, end);
  }

  return { fetched, start, end, rows };
}

/** Steps back from an overstated TotalCount before the gateway gives up on finding the end. */
const MAX_TAIL_STEPS = 8;

/**
 * `last` without `before`: one probe (PageSize 300, page 1) learns TotalCount and holds the whole
 * list when it is no longer than 300; otherwise the tail is fetched as a window of its own. When
 * upstream overstated its count and the tail comes back short or empty, the window steps back to
 * the end the pages proved, so the answer ends at the real last backup rather than at nothing.
 * Only proven ends are used, never guesses, so a count that is wildly overstated ends in an
 * UpstreamError after MAX_TAIL_STEPS instead of a wrong tail.
 */
async function fetchTail(
  query: BackupPageQuery,
  loaders: BackupLoaders,
  lowest: number,
  last: number,
): Promise<{ fetched: FetchedRows; start: number; end: number }> {
  const probe = await fetchPlannedRows(query, loaders, chooseRangePlan(0, MAX_WINDOW, null));
  let fetched = probe;
  let end = probe.totalCount;

  for (let step = 0; end > MAX_WINDOW; step++) {
    const start = Math.max(lowest, end - last);
    if (start >= end) {
      break;
    }
    if (step === MAX_TAIL_STEPS) {
      throw new UpstreamError(
        'UPSTREAM_UNAVAILABLE',
        `upstream reported ${probe.totalCount} backups but its pages end earlier; ` +
          `the end of the list was not found in ${MAX_TAIL_STEPS} calls`,
      );
    }
    if (!(fetched.base <= start && fetched.base + fetched.rows.length >= end)) {
      fetched = await fetchPlannedRows(query, loaders, chooseRangePlan(start, end, null));
    }
    if (fetched.totalCount >= end) {
      break;
    }
    // The probe proved MAX_WINDOW rows exist, so the end is never below it.
    end = Math.max(fetched.totalCount, MAX_WINDOW);
  }
  if (end <= MAX_WINDOW) {
    fetched = probe;
  }

  return {
    fetched: { ...fetched, totalCount: Math.min(fetched.totalCount, end) },
    start: Math.max(lowest, end - last),
    end,
  };
}

/**
 * totalCount is already lowered to the end a short page proved. `returned` counts upstream's rows,
 * dropped ones included. A page that asked for rows and got none says the list ends here, whatever
 * the count claims: answering true would send a client round the same empty page for ever.
 */
function hasNextPage(start: number, returned: number, totalCount: number, countOnly: boolean) {
  if (returned === 0 && !countOnly) {
    return false;
  }

  return start + returned < totalCount;
}

/** How far the cursor's anchor backup has moved; throws when it moved out of reach. */
function anchorShift(
  fetched: FetchedRows,
  anchor: { cursor: CursorPayload; argument: 'after' | 'before' } | null,
): number {
  if (anchor === null) {
    return 0;
  }

  const expected = anchor.cursor.offset;
  const found = offsetOfBackup(fetched, anchor.cursor.anchor.backupId);
  if (found !== null) {
    return found - expected;
  }
  if (covers(fetched, expected)) {
    throw new StaleCursorError(
      anchor.argument,
      `\`${anchor.argument}\` is stale: the backup it points at (${anchor.cursor.anchor.backupId}) ` +
        'is no longer where the list had it, nor within the rows fetched around it; page again ' +
        'from the start',
    );
  }

  // The anchor row was not fetched (checking it would have cost a call), so it cannot be checked.
  return 0;
}

function sliceRows(fetched: FetchedRows, start: number, end: number): (Backup | null)[] {
  const from = Math.max(start - fetched.base, 0);
  const to = Math.max(Math.min(end, fetched.totalCount) - fetched.base, from);

  return fetched.rows.slice(from, to);
}
