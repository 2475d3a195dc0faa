import { describe, expect, it } from 'vitest';
import { type PagePlan, pagesOf, planUpstreamPages, rowRange } from '../src/paging/page-planner.js';
import { PAGE_SIZES } from '../src/wire/describe-backups.js';

/**
 * A search that shares no arithmetic with the planner: for every page size, every run of
 * consecutive pages starting at or before the window is tried, and kept when its rows cover the
 * window; the least by (calls, rows, pageSize) wins.
 */
function bruteForce(offset: number, count: number): PagePlan {
  let best: PagePlan | null = null;
  for (const pageSize of PAGE_SIZES) {
    for (let firstPage = 1; (firstPage - 1) * pageSize <= offset; firstPage++) {
      let lastPage = firstPage;
      while (lastPage * pageSize < offset + count) {
        lastPage++;
      }
      const coversStart =
        (firstPage - 1) * pageSize <= offset &&
        offset < firstPage * pageSize + (lastPage - firstPage) * pageSize;
      if (!coversStart) {
        continue;
      }
      const calls = lastPage - firstPage + 1;
      const candidate = {
        pageSize,
        firstPage,
        lastPage,
        calls,
        rows: pageSize * calls,
        skip: offset - (firstPage - 1) * pageSize,
      };
      const better =
        best === null ||
        candidate.calls < best.calls ||
        (candidate.calls === best.calls && candidate.rows < best.rows) ||
        (candidate.calls === best.calls &&
          candidate.rows === best.rows &&
          pageSize < best.pageSize);
      if (better) {
        best = candidate;
      }
    }
  }

  return best!;
}

function sameFields(a: PagePlan, b: PagePlan): boolean {
  return (
    a.pageSize === b.pageSize &&
    a.firstPage === b.firstPage &&
    a.lastPage === b.lastPage &&
    a.calls === b.calls &&
    a.rows === b.rows &&
    a.skip === b.skip
  );
}

describe('planUpstreamPages', () => {
  it('matches the brute-force search for every window with offset 0..1000 and count 1..300', () => {
    const mismatches: string[] = [];
    let windows = 0;
    for (let offset = 0; offset <= 1000; offset += 1) {
      for (let count = 1; count <= 300; count += 1) {
        windows += 1;
        const plan = planUpstreamPages(offset, count);
        const expected = bruteForce(offset, count);
        if (plan === null || !sameFields(plan, expected)) {
          mismatches.push(
            `${offset}+${count}: ${JSON.stringify(plan)} ≠ ${JSON.stringify(expected)}`,
          );
        }
      }
    }

    expect(windows).toBe(1001 * 300);
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  it('returns plans whose pages cover the window and whose skip lands on offset', () => {
    const failures: string[] = [];
    for (let offset = 0; offset <= 1000; offset += 7) {
      for (let count = 1; count <= 300; count += 1) {
        const plan = planUpstreamPages(offset, count)!;
        const first = rowRange(plan, plan.firstPage);
        const last = rowRange(plan, plan.lastPage);
        const covered = first.start <= offset && last.end >= offset + count;
        const skipRight = first.start + plan.skip === offset && plan.skip < plan.pageSize;
        if (!covered || !skipRight || plan.calls > 2) {
          failures.push(`${offset}+${count}: ${JSON.stringify(plan)}`);
        }
      }
    }

    expect(failures.slice(0, 5)).toEqual([]);
  });

  it('fetches offset 290, 20 items with one call of PageSize 200, page 2', () => {
    expect(planUpstreamPages(290, 20)).toEqual({
      pageSize: 200,
      firstPage: 2,
      lastPage: 2,
      calls: 1,
      rows: 200,
      skip: 90,
    });
  });

  it('fetches offset 30, 300 items with PageSize 200, pages 1 and 2', () => {
    expect(planUpstreamPages(30, 300)).toEqual({
      pageSize: 200,
      firstPage: 1,
      lastPage: 2,
      calls: 2,
      rows: 400,
      skip: 30,
    });
  });

  it('uses the smallest page that holds a window at the start of the list', () => {
    expect(planUpstreamPages(0, 10)).toMatchObject({ pageSize: 30, firstPage: 1, calls: 1 });
    expect(planUpstreamPages(0, 30)).toMatchObject({ pageSize: 30, firstPage: 1, calls: 1 });
    expect(planUpstreamPages(0, 31)).toMatchObject({ pageSize: 50, firstPage: 1, calls: 1 });
    expect(planUpstreamPages(0, 300)).toMatchObject({ pageSize: 300, firstPage: 1, calls: 1 });
  });

  it('plans deep offsets exactly', () => {
    expect(planUpstreamPages(2 ** 31 - 1, 1)).toEqual({
      pageSize: 30,
      firstPage: Math.floor((2 ** 31 - 1) / 30) + 1,
      lastPage: Math.floor((2 ** 31 - 1) / 30) + 1,
      calls: 1,
      rows: 30,
      skip: (2 ** 31 - 1) % 30,
    });
  });

  it('returns null when count is 0', () => {
    expect(planUpstreamPages(0, 0)).toBeNull();
    expect(planUpstreamPages(12345, 0)).toBeNull();
  });

  it('throws a TypeError naming offset when offset is not an integer', () => {
    expect(() => planUpstreamPages(1.5, 10)).toThrow(TypeError);
    expect(() => planUpstreamPages(1.5, 10)).toThrow(/offset.*1\.5/);
    expect(() => planUpstreamPages(Number.NaN, 10)).toThrow(/offset.*NaN/);
    expect(() => planUpstreamPages('3' as unknown as number, 10)).toThrow(/offset.*3/);
  });

  it('throws a RangeError naming offset when offset is negative or unsafe', () => {
    expect(() => planUpstreamPages(-1, 10)).toThrow(RangeError);
    expect(() => planUpstreamPages(-1, 10)).toThrow(/offset.*-1/);
    expect(() => planUpstreamPages(2 ** 53, 10)).toThrow(/offset.*9007199254740992/);
    expect(() => planUpstreamPages(Number.MAX_SAFE_INTEGER, 10)).toThrow(/offset \+ count/);
  });

  it('throws naming count when count is not an integer from 0 to 300', () => {
    expect(() => planUpstreamPages(0, 301)).toThrow(RangeError);
    expect(() => planUpstreamPages(0, 301)).toThrow(/count.*301/);
    expect(() => planUpstreamPages(0, -1)).toThrow(/count.*-1/);
    expect(() => planUpstreamPages(0, 2.5)).toThrow(TypeError);
    expect(() => planUpstreamPages(0, 2.5)).toThrow(/count.*2\.5/);
  });
});

describe('pagesOf', () => {
  it('lists one request per page of the plan, in order', () => {
    expect(pagesOf(planUpstreamPages(30, 300)!)).toEqual([
      { pageSize: 200, pageNumber: 1 },
      { pageSize: 200, pageNumber: 2 },
    ]);
    expect(pagesOf(planUpstreamPages(290, 20)!)).toEqual([{ pageSize: 200, pageNumber: 2 }]);
  });
});

describe('rowRange', () => {
  it('gives the absolute rows a page holds', () => {
    const plan = planUpstreamPages(30, 300)!;

    expect(rowRange(plan, 1)).toEqual({ start: 0, end: 200 });
    expect(rowRange(plan, 2)).toEqual({ start: 200, end: 400 });
  });

  it('throws a RangeError naming pageNumber for a page outside the plan', () => {
    const plan = planUpstreamPages(290, 20)!;

    expect(() => rowRange(plan, 1)).toThrow(/pageNumber.*from 2 to 2.*received 1/);
    expect(() => rowRange(plan, 3)).toThrow(RangeError);
  });
});
