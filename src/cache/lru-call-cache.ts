import { LRUCache } from 'lru-cache';
import type { CallCache } from './call-cache.js';

export interface LruCallCacheOptions<V> {
  /** How long an entry is served after it was stored, in milliseconds; at least 1. */
  ttlMs: number;
  /** The most the cache holds, in the units of `sizeOf`. @default 50000 */
  maxSize?: number;
  /**
   * The size of one value. @default () => 1 (maxSize then counts entries). For pages, count rows:
   * a 300-row page weighs 300 times a one-row one.
   */
  sizeOf?: (value: V) => number;
}

/**
 * An in-process, least-recently-used {@link CallCache} with a fixed time to live. Expired entries
 * are never served; they are dropped when read or when space is needed, not by a timer.
 */
export function createLruCallCache<V extends object>(
  options: LruCallCacheOptions<V>,
): CallCache<V> {
  if (!Number.isSafeInteger(options.ttlMs) || options.ttlMs < 1) {
    throw new RangeError(`ttlMs must be a positive integer; received ${String(options.ttlMs)}`);
  }
  const maxSize = options.maxSize ?? 50_000;
  if (!Number.isSafeInteger(maxSize) || maxSize < 1) {
    throw new RangeError(`maxSize must be a positive integer; received ${String(maxSize)}`);
  }
  const sizeOf = options.sizeOf ?? (() => 1);

  const cache = new LRUCache<string, V>({
    ttl: options.ttlMs,
    maxSize,
    // lru-cache refuses sizes below 1; an empty page still takes a slot.
    sizeCalculation: (value) => Math.max(1, Math.ceil(sizeOf(value))),
    // Served entries keep the age they had: staleness is bounded by ttlMs from the upstream answer.
    updateAgeOnGet: false,
    allowStale: false,
  });

  return {
    get: (key) => cache.get(key),
    set: (key, value) => {
      cache.set(key, value);
    },
  };
}
