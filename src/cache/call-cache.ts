/**
 * A cache of upstream answers, keyed by the canonical parameters of the call. The in-process
 * implementation is {@link createLruCallCache}; a store shared by several replicas (Redis, say)
 * implements the same two methods, asynchronously.
 *
 * Contract:
 * - `set` is only ever called with a successful answer: errors are never cached.
 * - Values come back as the same object (in process) or an equal one (a shared store, which must
 *   therefore serialise `Date` and `UnsafeInteger` values and rebuild them). Callers treat them as
 *   immutable: one cached page is read by many requests at once.
 * - Expiry belongs to the cache: an entry is served for at most its time to live after `set`.
 * - A failing cache is a miss, never a failed call: the caller logs and carries on upstream.
 */
export interface CallCache<V> {
  /** The entry for `key`, or undefined when absent or expired. */
  get(key: string): V | undefined | Promise<V | undefined>;
  /** Stores `value` under `key` for the cache's time to live. */
  set(key: string, value: V): void | Promise<void>;
}
