import { createHash } from 'node:crypto';
import { formatTimestamp } from './signature.js';
import type { EmulatorBackup } from './types.js';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** Options of {@link generateBackups}. */
export interface GenerateBackupsOptions {
  instanceId: string;
  /** How many items; each has its own BackupStartTime and BackupId. */
  count: number;
  /** BackupStartTime of the newest item, cut to the whole second. */
  newest: Date;
  /** Minutes between consecutive items. @default 1440 (daily) */
  intervalMinutes?: number;
  /** BackupId of the oldest item; IDs grow by one towards the newest. @default 2_300_000_000 */
  firstBackupId?: bigint | number;
  /** BackupJobID of the oldest item, growing like the IDs. @default 140_000_000 */
  firstJobId?: bigint | number;
  /** @default the instance ID (a standard instance) */
  nodeInstanceId?: string;
  /** @default 'Automated' */
  mode?: 'Automated' | 'Manual';
  /** @default 'FullBackup' */
  type?: 'FullBackup' | 'IncrementalBackup';
  /** @default 'Physical' */
  method?: 'Physical' | 'Logical';
  /** Indexes (0 = newest) of the items whose status is `Failed`. @default none */
  failed?: readonly number[];
  /** Size range in bytes, drawn from the seeded PRNG. @default [1 GiB, 4 GiB] */
  sizeBytes?: readonly [number, number];
  /** @default '7.0' */
  engineVersion?: string;
  /** Set on every item when given (Cloud Native Edition only). */
  recoverConfigMode?: string;
  /** Days an item is kept before ExpectExpireTime. @default 7 */
  retentionDays?: number;
  /** @default 'cn-hangzhou' */
  region?: string;
  /** PRNG seed, mixed with the instance ID. @default 1 */
  seed?: number;
}

/** mulberry32: small, fast and the same on every platform. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;

  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);

    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hashSeed(text: string, seed: number): number {
  return createHash('sha256').update(`${seed}:${text}`).digest().readUInt32BE(0);
}

/** A JSON integer: a number while exact, a bigint beyond 2^53. */
function exact(value: bigint): number | bigint {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

function downloadUrls(region: string, item: { node: string; id: bigint; start: Date }) {
  const stamp = item.start.toISOString().replace(/[-:]/g, '').slice(0, 15);
  const path = `custins${item.id % 100_000_000n}/${item.node}_data_${stamp}.rdb`;
  const expires = Math.floor(item.start.getTime() / 1000) + 7 * 86_400;
  const signature = createHash('sha1').update(path).digest('base64url').slice(0, 27);
  const query = `Expires=${expires}&OSSAccessKeyId=LTAIdemoOssAccess&Signature=${signature}%3D`;

  return {
    BackupDownloadURL: `https://rdsbak-${region}-v2.oss-${region}.aliyuncs.com/${path}?${query}`,
    BackupIntranetDownloadURL: `https://rdsbak-${region}-v2.oss-${region}-internal.aliyuncs.com/${path}?${query}`,
  };
}

/**
 * Builds `count` deterministic backup items, newest first: item `i` starts at
 * `newest − i × interval`. The same options give the same items on every run.
 */
export function generateBackups(options: GenerateBackupsOptions): EmulatorBackup[] {
  const interval = (options.intervalMinutes ?? 1440) * MINUTE_MS;
  const newestMs = Math.floor(options.newest.getTime() / 1000) * 1000;
  const firstId = BigInt(options.firstBackupId ?? 2_300_000_000);
  const firstJob = BigInt(options.firstJobId ?? 140_000_000);
  const [minSize, maxSize] = options.sizeBytes ?? [2 ** 30, 2 ** 32];
  const node = options.nodeInstanceId ?? options.instanceId;
  const region = options.region ?? 'cn-hangzhou';
  const failed = new Set(options.failed ?? []);
  const random = seededRandom(hashSeed(node, options.seed ?? 1));
  const items: EmulatorBackup[] = [];

  for (let index = 0; index < options.count; index += 1) {
    const start = new Date(newestMs - index * interval);
    const ordinal = BigInt(options.count - 1 - index);
    const id = firstId + ordinal;
    const size = Math.round(minSize + random() * (maxSize - minSize));
    const durationMs = Math.round(30_000 + random() * 20 * MINUTE_MS);
    const isFailed = failed.has(index);
    const urls = isFailed
      ? { BackupDownloadURL: '', BackupIntranetDownloadURL: '' }
      : downloadUrls(region, { node, id, start });

    items.push({
      BackupStatus: isFailed ? 'Failed' : 'Success',
      BackupStartTime: formatTimestamp(start),
      BackupType: options.type ?? 'FullBackup',
      BackupDownloadURL: urls.BackupDownloadURL,
      NodeInstanceId: node,
      BackupEndTime: formatTimestamp(new Date(start.getTime() + durationMs)),
      BackupId: exact(id),
      BackupDBNames: 'all',
      EngineVersion: options.engineVersion ?? '7.0',
      BackupIntranetDownloadURL: urls.BackupIntranetDownloadURL,
      BackupSize: isFailed ? 0 : size,
      BackupMode: options.mode ?? 'Automated',
      BackupMethod: options.method ?? 'Physical',
      BackupJobID: exact(firstJob + ordinal),
      ...(options.recoverConfigMode ? { RecoverConfigMode: options.recoverConfigMode } : {}),
      ExpectExpireTime: formatTimestamp(
        new Date(start.getTime() + (options.retentionDays ?? 7) * DAY_MS),
      ),
    });
  }

  return items;
}
