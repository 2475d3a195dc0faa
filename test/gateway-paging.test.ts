import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupsPage, expectedIds, type PageShape } from './support/backups-page.js';
import { type Harness, instanceWith, startHarness } from './support/gateway-harness.js';

const SIZES = [0, 1, 29, 30, 31, 60, 61, 450] as const;
const idOf = (size: number) => `r-paging${String(size).padStart(4, '0')}`;

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness({
    dataset: {
      instances: Object.fromEntries(SIZES.map((size) => [idOf(size), instanceWith(size)])),
    },
  });
});
afterAll(() => harness.close());

const ids = (page: PageShape) => page.edges.map((edge) => edge.node.backupId);

/** Pages forward with `first` until hasNextPage is false; returns every page and its calls. */
async function pageForward(instanceId: string, first?: number) {
  const pages: Array<{ page: PageShape; calls: number }> = [];
  let after: string | null = null;
  do {
    const result = await backupsPage(harness, instanceId, {
      ...(first === undefined ? {} : { first }),
      after,
    });
    pages.push(result);
    after = result.page.pageInfo.endCursor;
    if (!result.page.pageInfo.hasNextPage) {
      break;
    }
  } while (pages.length < 100);

  return pages;
}

describe('Instance.backups paging forward', () => {
  it.each(SIZES)(
    'lists all %i backups in the emulator order, one upstream call per page',
    async (size) => {
      const pages = await pageForward(idOf(size));

      expect(pages.flatMap(({ page }) => ids(page))).toEqual(expectedIds(harness, idOf(size)));
      expect(pages).toHaveLength(Math.max(1, Math.ceil(size / 30)));
      expect(pages.map(({ calls }) => calls)).toEqual(pages.map(() => 1));
      expect(pages.map(({ page }) => page.totalCount)).toEqual(pages.map(() => size));
      expect(pages.at(-1)!.page.pageInfo.hasNextPage).toBe(false);
      expect(pages[0]!.page.pageInfo.hasPreviousPage).toBe(false);
      for (const { page } of pages.slice(1)) {
        expect(page.pageInfo.hasPreviousPage).toBe(true);
      }
    },
  );

  it.each([
    [450, 100],
    [450, 300],
    [61, 7],
  ])('pages %i backups with first: %i without gaps or repeats', async (size, first) => {
    const pages = await pageForward(idOf(size), first);

    expect(pages.flatMap(({ page }) => ids(page))).toEqual(expectedIds(harness, idOf(size)));
    expect(pages.map(({ calls }) => calls).every((calls) => calls <= 2)).toBe(true);
  });

  it('answers totalCount and no edges for first: 0 with one call', async () => {
    const { page, calls } = await backupsPage(harness, idOf(61), { first: 0 });

    expect(page.edges).toEqual([]);
    expect(page.totalCount).toBe(61);
    expect(page.pageInfo).toEqual({
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: null,
      endCursor: null,
    });
    expect(calls).toBe(1);
  });

  it('fetches an unaligned window of 20 at offset 290 with one call of PageSize 200', async () => {
    const { page: start } = await backupsPage(harness, idOf(450), { first: 290 });
    const { page, calls } = await backupsPage(harness, idOf(450), {
      first: 20,
      after: start.pageInfo.endCursor,
    });

    expect(ids(page)).toEqual(expectedIds(harness, idOf(450)).slice(290, 310));
    expect(calls).toBe(1);
    expect(
      harness.emulator.requests.map((request) => [request.pageSize, request.pageNumber]),
    ).toEqual([[200, 2]]);
  });
});

describe('Instance.backups paging backward', () => {
  it.each(SIZES)('returns the last 10 of %i backups for last: 10 without before', async (size) => {
    const { page, calls } = await backupsPage(harness, idOf(size), { last: 10 });

    expect(ids(page)).toEqual(expectedIds(harness, idOf(size)).slice(-10));
    expect(page.pageInfo.hasNextPage).toBe(false);
    expect(page.pageInfo.hasPreviousPage).toBe(size > 10);
    expect(page.totalCount).toBe(size);
    // The probe (PageSize 300, page 1) holds the tail of lists up to 300 long.
    expect(calls).toBe(size > 300 ? 2 : 1);
  });

  it('walks 450 backups back to the first with last and before', async () => {
    const collected: string[] = [];
    let { page } = await backupsPage(harness, idOf(450), { last: 30 });
    collected.unshift(...ids(page));
    while (page.pageInfo.hasPreviousPage) {
      const result = await backupsPage(harness, idOf(450), {
        last: 30,
        before: page.pageInfo.startCursor,
      });
      page = result.page;
      expect(result.calls).toBe(1);
      collected.unshift(...ids(page));
    }

    expect(collected).toEqual(expectedIds(harness, idOf(450)));
  });

  it('takes last: 30 for before alone', async () => {
    const { page: forward } = await backupsPage(harness, idOf(61), { first: 50 });
    const { page } = await backupsPage(harness, idOf(61), { before: forward.pageInfo.endCursor });

    expect(ids(page)).toEqual(expectedIds(harness, idOf(61)).slice(19, 49));
  });

  it('applies first and then last when both are given', async () => {
    const { page } = await backupsPage(harness, idOf(61), { first: 20, last: 5 });

    expect(ids(page)).toEqual(expectedIds(harness, idOf(61)).slice(15, 20));
    expect(page.pageInfo.hasPreviousPage).toBe(true);
    expect(page.pageInfo.hasNextPage).toBe(true);
  });

  it('returns the rows between after and before', async () => {
    const { page: first } = await backupsPage(harness, idOf(61), { first: 40 });
    const after = first.edges[9]!.cursor;
    const before = first.edges[20]!.cursor;
    const { page } = await backupsPage(harness, idOf(61), { first: 30, after, before });

    expect(ids(page)).toEqual(expectedIds(harness, idOf(61)).slice(10, 20));
  });
});

describe('Instance.backups against an upstream that moves or misreports', () => {
  it('lowers totalCount to the proven end when TotalCount overstates the items', async () => {
    const local = await startHarness({
      dataset: {
        instances: { 'r-overstated': instanceWith(45, { Override: { TotalCount: 60 } }) },
      },
    });
    try {
      const first = await backupsPage(local, 'r-overstated', { first: 30 });
      expect(first.page.totalCount).toBe(60);
      expect(first.page.pageInfo.hasNextPage).toBe(true);

      const second = await backupsPage(local, 'r-overstated', {
        first: 30,
        after: first.page.pageInfo.endCursor,
      });
      expect(ids(second.page)).toEqual(expectedIds(local, 'r-overstated').slice(30, 45));
      expect(second.page.totalCount).toBe(45);
      expect(second.page.pageInfo.hasNextPage).toBe(false);

      const tail = await backupsPage(local, 'r-overstated', { last: 5 });
      expect(ids(tail.page)).toEqual(expectedIds(local, 'r-overstated').slice(40, 45));
      expect(tail.page.totalCount).toBe(45);
    } finally {
      await local.close();
    }
  });

  it.each([
    [100, 101, 7],
    [3, 7, 1],
    [61, 90, 30],
  ])('pages all %i backups when upstream claims %i, %i at a time', async (real, claimed, first) => {
    const local = await startHarness({
      dataset: {
        instances: { 'r-overstated': instanceWith(real, { Override: { TotalCount: claimed } }) },
      },
    });
    try {
      const collected: string[] = [];
      let after: string | null = null;
      let last: PageShape | null = null;
      for (let page = 0; page < 200; page++) {
        ({ page: last } = await backupsPage(local, 'r-overstated', { first, after }));
        collected.push(...ids(last));
        if (!last.pageInfo.hasNextPage) {
          break;
        }
        after = last.pageInfo.endCursor;
      }

      expect(collected).toEqual(expectedIds(local, 'r-overstated'));
      expect(last!.totalCount).toBe(real);
    } finally {
      await local.close();
    }
  });

  it('finds the real end for last without before when a long list is overstated', async () => {
    const local = await startHarness({
      dataset: {
        instances: { 'r-overstated': instanceWith(450, { Override: { TotalCount: 520 } }) },
      },
    });
    try {
      const { page } = await backupsPage(local, 'r-overstated', { last: 10 });

      expect(ids(page)).toEqual(expectedIds(local, 'r-overstated').slice(440, 450));
      expect(page.totalCount).toBe(450);
      expect(page.pageInfo.endCursor).not.toBeNull();
    } finally {
      await local.close();
    }
  });

  it('re-anchors on the cursor when a backup appears between two pages', async () => {
    const local = await startHarness({ dataset: { instances: { 'r-moving': instanceWith(61) } } });
    try {
      const before = expectedIds(local, 'r-moving');
      const first = await backupsPage(local, 'r-moving', { first: 30 });
      // A backup that started earlier in the window but finished late lands at the top.
      local.emulator.addBackup('r-moving', {
        ...local.emulator.sortedBackups('r-moving')[0]!,
        BackupId: 9_000_000_000,
        BackupStartTime: '2026-11-30T10:30:00Z',
      });
      const second = await backupsPage(local, 'r-moving', {
        first: 30,
        after: first.page.pageInfo.endCursor,
      });

      expect(ids(second.page)).toEqual(before.slice(30, 60));
      expect(second.page.error).toBeNull();
    } finally {
      await local.close();
    }
  });

  it('answers a StaleCursorError when the anchor moved out of the fetched rows', async () => {
    const local = await startHarness({ dataset: { instances: { 'r-moving': instanceWith(61) } } });
    try {
      const first = await backupsPage(local, 'r-moving', { first: 30 });
      const anchor = first.page.edges[29]!.node.backupId;
      const remaining = local.emulator.sortedBackups('r-moving');
      // Remove the anchor: it is nowhere in the rows the next page fetches.
      const index = remaining.findIndex((backup) => String(backup.BackupId) === anchor);
      expect(index).toBe(29);
      local.emulator.removeBackup('r-moving', anchor);
      const second = await backupsPage(local, 'r-moving', {
        first: 30,
        after: first.page.pageInfo.endCursor,
      });

      expect(second.page.error).toMatchObject({
        __typename: 'StaleCursorError',
        code: 'INVALID_ARGUMENT',
        argument: 'after',
        retryable: false,
      });
      expect(second.page.edges).toEqual([]);
      expect(second.page.pageInfo.startCursor).toBe(first.page.pageInfo.endCursor);
      expect(second.page.pageInfo.hasNextPage).toBe(true);
    } finally {
      await local.close();
    }
  });
});

describe('upstream items the client drops', () => {
  /** 20 backups; three lose their BackupId and one its start time (the emulator lists it last). */
  function withHoles() {
    const instance = instanceWith(20);
    const items = instance.Backups as Array<Record<string, unknown>>;
    for (const index of [3, 4, 10]) {
      delete items[index]!.BackupId;
    }
    items[15]!.BackupStartTime = 'bad';

    return instance;
  }
  const usable = (local: Harness) =>
    local.emulator
      .sortedBackups('r-holes')
      .filter((item) => item.BackupId !== undefined && item.BackupStartTime !== 'bad')
      .map((item) => String(item.BackupId));

  /** Every BackupId a client paging on its cursors sees, in list order, to the end either way. */
  async function walk(local: Harness, size: { first: number } | { last: number }) {
    const forwards = 'first' in size;
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let round = 0; round < 25; round++) {
      const { page } = await backupsPage(local, 'r-holes', {
        ...size,
        ...(forwards ? { after: cursor } : { before: cursor }),
      });
      if (forwards) {
        seen.push(...ids(page));
      } else {
        seen.unshift(...ids(page));
      }
      if (!(forwards ? page.pageInfo.hasNextPage : page.pageInfo.hasPreviousPage)) {
        break;
      }
      // A page that promises more must hold a cursor to reach it.
      expect(page.edges.length).toBeGreaterThan(0);
      cursor = forwards ? page.pageInfo.endCursor : page.pageInfo.startCursor;
    }

    return seen;
  }

  it.each([1, 2, 3, 7])(
    'pages forwards and backwards %i at a time over every usable backup, once each, to the end',
    async (size) => {
      const local = await startHarness({ dataset: { instances: { 'r-holes': withHoles() } } });
      try {
        const expected = usable(local);
        expect(expected).toHaveLength(16);

        expect(await walk(local, { first: size })).toEqual(expected);
        expect(await walk(local, { last: size })).toEqual(expected);
      } finally {
        await local.close();
      }
    },
  );

  it('fills a page over the holes, and says there is no next page when the list ends', async () => {
    const local = await startHarness({ dataset: { instances: { 'r-holes': withHoles() } } });
    try {
      const { page } = await backupsPage(local, 'r-holes', { first: 5 });
      const all = await backupsPage(local, 'r-holes', { first: 50 });

      expect(ids(page)).toEqual(usable(local).slice(0, 5));
      expect(ids(all.page)).toEqual(usable(local));
      expect(all.page.pageInfo.hasNextPage).toBe(false);
      // Upstream's count, the dropped items in it (README).
      expect(all.page.totalCount).toBe(20);
    } finally {
      await local.close();
    }
  });
});
