import { describe, expect, it } from 'vitest';
import { createLruCallCache } from '../src/cache/lru-call-cache.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('createLruCallCache', () => {
  it('returns the stored object for its key and undefined for others', () => {
    const cache = createLruCallCache<{ rows: number[] }>({ ttlMs: 1000 });
    const value = { rows: [1, 2] };
    cache.set('a', value);

    expect(cache.get('a')).toBe(value);
    expect(cache.get('b')).toBeUndefined();
  });

  it('stops serving an entry once its time to live has passed, reads included', async () => {
    const cache = createLruCallCache<{ n: number }>({ ttlMs: 60 });
    cache.set('a', { n: 1 });
    await sleep(40);
    expect(cache.get('a')).toEqual({ n: 1 });

    await sleep(40);
    expect(cache.get('a')).toBeUndefined();
  });

  it('evicts the least recently used entries beyond maxSize, weighed by sizeOf', () => {
    const cache = createLruCallCache<{ rows: number[] }>({
      ttlMs: 60_000,
      maxSize: 5,
      sizeOf: (value) => value.rows.length,
    });
    cache.set('a', { rows: [1, 2] });
    cache.set('b', { rows: [1, 2] });
    cache.get('a');
    cache.set('c', { rows: [1, 2] });

    expect(cache.get('a')).toEqual({ rows: [1, 2] });
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('c')).toEqual({ rows: [1, 2] });
  });

  it('counts an empty value as one unit', () => {
    const cache = createLruCallCache<{ rows: number[] }>({
      ttlMs: 60_000,
      maxSize: 2,
      sizeOf: (value) => value.rows.length,
    });
    cache.set('a', { rows: [] });
    cache.set('b', { rows: [] });
    cache.set('c', { rows: [] });

    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('c')).toEqual({ rows: [] });
  });

  it('refuses a time to live or size that is not a positive integer, naming it', () => {
    expect(() => createLruCallCache({ ttlMs: 0 })).toThrow(
      'ttlMs must be a positive integer; received 0',
    );
    expect(() => createLruCallCache({ ttlMs: 10, maxSize: 1.5 })).toThrow(
      'maxSize must be a positive integer; received 1.5',
    );
  });
});
