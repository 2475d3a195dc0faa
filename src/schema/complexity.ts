import { MAX_PAGE_SIZE } from '../wire/describe-backups.js';
import { DEFAULT_PAGE_LENGTH } from './connection/arguments.js';

/**
 * What a field that makes (or may make) an upstream call costs by itself, against the 1 of a
 * plain field: a call is what a query budget exists to ration.
 */
export const UPSTREAM_FIELD_COST = 10;

/**
 * `Instance.backups`: one upstream call, and its selection counted once per edge asked for.
 * The multiplier is clamped to 1..300 because out-of-range `first`/`last` are refused by the
 * resolver with a typed error naming the argument, which says more than a cost refusal would.
 */
export function backupsComplexity(args: { first?: number | null; last?: number | null }) {
  const edges = args.first ?? args.last ?? DEFAULT_PAGE_LENGTH;

  return {
    field: UPSTREAM_FIELD_COST,
    multiplier: Math.min(Math.max(edges, 1), MAX_PAGE_SIZE),
  };
}

/** `Query.instances`: the selection counted once per id given. */
export function instancesComplexity(args: { ids: readonly unknown[] }) {
  return { field: 1, multiplier: Math.max(args.ids.length, 1) };
}
