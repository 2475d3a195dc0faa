import { startEmulator } from '../../src/emulator/server.js';
import { benchDataset } from '../dataset.js';

/**
 * The emulator in a process of its own. It counts requests in a number rather than in its
 * request log, which it empties every second, so a long load does not grow its memory.
 */
const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? '0');
const emulator = await startEmulator({ dataset: benchDataset(latencyMs) });
let counted = 0;
/** Answers other than 200, by status and code: a healthy run has none. */
const failures = new Map<string, number>();

function drain(): void {
  for (const record of emulator.requests) {
    if (record.status !== 200) {
      const key = `${record.status ?? 'reset'} ${record.code ?? ''}`.trim();
      failures.set(key, (failures.get(key) ?? 0) + 1);
    }
  }
  counted += emulator.requests.length;
  emulator.clearRequests();
}

setInterval(drain, 1000).unref();

process.on('message', (message: { type: string }) => {
  if (message.type === 'calls') {
    drain();
    process.send?.({ type: 'calls', count: counted, failures: Object.fromEntries(failures) });
  }
});
process.on('disconnect', () => process.exit(0));
// An exit, not a kill, so that --cpu-prof writes its profile.
process.on('SIGTERM', () => process.exit(0));
process.send?.({ type: 'ready', url: emulator.url });
