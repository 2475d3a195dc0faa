import { generateBackups } from '../src/emulator/generate-backups.js';
import type { EmulatorDataset } from '../src/emulator/types.js';

/** Backups of each long instance: past one 300-row page, so `last` needs its probe and a tail. */
export const LONG_LIST = 450;
/** Backups of the short instance: one probe holds them all. */
export const SHORT_LIST = 42;

/** The 20 instances of the multi-instance queries; the first is also the one-instance one. */
export const BENCH_INSTANCES = Array.from(
  { length: 20 },
  (_, index) => `r-bench0long${String(index + 1).padStart(5, '0')}`,
);
export const SHORT_INSTANCE = 'r-bench0short00001';

/** The bench dataset: hourly backups ending before 2026-11-30, every field filled. */
export function benchDataset(latencyMs: number): EmulatorDataset {
  const newest = new Date('2026-11-29T23:00:17Z');
  const instance = (instanceId: string, count: number) => ({
    Backups: generateBackups({
      instanceId,
      count,
      newest,
      intervalMinutes: 60,
      recoverConfigMode: '{"whitelist":true,"config":true,"account":false}',
      failed: [3, 17],
    }),
  });
  const instances = Object.fromEntries([
    ...BENCH_INSTANCES.map((id) => [id, instance(id, LONG_LIST)]),
    [SHORT_INSTANCE, instance(SHORT_INSTANCE, SHORT_LIST)],
  ]);

  return { instances, LatencyMs: latencyMs };
}
