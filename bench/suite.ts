import { PAGE_SIZES } from '../src/wire/describe-backups.js';
import { BENCH_INSTANCES, LONG_LIST, SHORT_INSTANCE, SHORT_LIST } from './dataset.js';

/** Every field of Backup, as a client that shows a backup in full selects them. */
export const BACKUP_FIELDS = `id backupId jobId instance { id } status type mode method startTime
  endTime expiresAt sizeBytes downloadUrl intranetDownloadUrl nodeId databases engineVersion
  recoverConfig { whitelist config account }`;

/** What a list view shows of each backup: the suite's selection. */
export const LIST_FIELDS = 'id backupId status type startTime endTime sizeBytes';

/** One query of the suite, with the least calls and rounds any gateway could answer it in. */
export interface SuiteCase {
  name: string;
  query: string;
  variables: Record<string, unknown>;
  optimumCalls: number;
  /** Upstream round trips that must follow one another; each costs the emulator's latency. */
  rounds: number;
  /**
   * The same upstream calls made directly with pop-core, one entry a round: what the emulator and
   * the network cost before the gateway does anything.
   */
  direct: DirectCalls[];
}

/** Pages 1 to `pages` of the first `instances` long bench instances (or the short one), at once. */
export interface DirectCalls {
  instances: number;
  pageSize: number;
  pages: number;
  short?: boolean;
}

const one = (pageSize: number, pages = 1): DirectCalls => ({ instances: 1, pageSize, pages });

/**
 * The fewest calls covering rows [start, end) when one PageSize serves all of them: a brute force
 * over the API's page sizes, independent of the gateway's planner.
 */
export function fewestCalls(start: number, end: number): number {
  const last = Math.max(end, start + 1) - 1;

  return Math.min(
    ...PAGE_SIZES.map((size) => Math.floor(last / size) - Math.floor(start / size) + 1),
  );
}

/** The smallest page size that reaches the fewest calls: what sizes the direct calls alike. */
function bestPageSize(start: number, end: number): number {
  const last = Math.max(end, start + 1) - 1;
  const calls = (size: number) => Math.floor(last / size) - Math.floor(start / size) + 1;

  return PAGE_SIZES.find((size) => calls(size) === fewestCalls(start, end))!;
}

const page = (
  args: string,
) => `query Page($id: ID!${args.includes('$after') ? ', $after: String' : ''}${
  args.includes('$before') ? ', $before: String' : ''
}) {
  instance(id: $id) { backups(${args}) { totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { ${LIST_FIELDS} } } error { code message } } } }`;

/** `cursorAt(offset)`: the cursor of the long instance's row at that offset. */
export function suiteCases(cursorAt: (offset: number) => string): SuiteCase[] {
  const long = BENCH_INSTANCES[0]!;
  const after = (offset: number, first: number, kind: string): SuiteCase => ({
    name: `first ${first} after offset ${offset} (${kind})`,
    query: page(`first: ${first}, after: $after`),
    variables: { id: long, after: cursorAt(offset) },
    optimumCalls: fewestCalls(offset + 1, offset + 1 + first),
    rounds: 1,
    direct: [
      one(
        bestPageSize(offset + 1, offset + 1 + first),
        fewestCalls(offset + 1, offset + 1 + first),
      ),
    ],
  });
  const tail = (id: string, total: number): SuiteCase => ({
    name: `last 10 without before, ${total} backups`,
    query: page('last: 10'),
    variables: { id },
    // The probe (one 300-row page) learns where the list ends; a longer list then needs its tail.
    optimumCalls: 1 + (total > 300 ? fewestCalls(total - 10, total) : 0),
    rounds: total > 300 ? 2 : 1,
    direct:
      total > 300
        ? [one(300), one(bestPageSize(total - 10, total))]
        : [{ ...one(300), short: true }],
  });

  return [
    {
      name: 'first 30, no cursor (aligned)',
      query: page('first: 30'),
      variables: { id: long },
      optimumCalls: fewestCalls(0, 30),
      rounds: 1,
      direct: [one(30)],
    },
    after(49, 50, 'aligned'),
    after(289, 20, 'unaligned'),
    after(9, 100, 'unaligned'),
    after(149, 300, 'unaligned, two pages'),
    {
      name: 'last 10 before offset 100',
      query: page('last: 10, before: $before'),
      variables: { id: long, before: cursorAt(100) },
      optimumCalls: fewestCalls(90, 100),
      rounds: 1,
      direct: [one(bestPageSize(90, 100))],
    },
    tail(long, LONG_LIST),
    tail(SHORT_INSTANCE, SHORT_LIST),
    {
      name: '20 instances, first 10 each',
      query: `query Many($ids: [ID!]!) { instances(ids: $ids) {
        backups(first: 10) { totalCount edges { node { ${LIST_FIELDS} } } error { code } } } }`,
      variables: { ids: BENCH_INSTANCES },
      optimumCalls: BENCH_INSTANCES.length,
      rounds: 1,
      direct: [{ instances: BENCH_INSTANCES.length, pageSize: 30, pages: 1 }],
    },
    {
      name: 'backups and backupStorage together',
      query: `query Both($id: ID!) { instance(id: $id) {
        backupStorage { ... on BackupStorage { fullBytes } ... on Error { code } }
        backups(first: 5) { edges { node { backupId } } } } }`,
      variables: { id: long },
      optimumCalls: 1,
      rounds: 1,
      direct: [one(30)],
    },
    {
      name: 'one page under two aliases',
      query: `query Twice($id: ID!) { instance(id: $id) {
        a: backups(first: 30) { edges { node { backupId } } }
        b: backups(first: 30) { edges { node { backupId status } } } } }`,
      variables: { id: long },
      optimumCalls: 1,
      rounds: 1,
      direct: [one(30)],
    },
  ];
}
