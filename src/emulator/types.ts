import type { RawAccessDeniedDetail, RawBackup } from '../wire/describe-backups.js';

/** A JSON integer the emulator writes exactly: `bigint` for values beyond 2^53. */
export type ExactInteger = number | string | bigint;

/**
 * One backup item as the emulator stores and serves it: a {@link RawBackup} whose integer fields
 * may also be `bigint`, so an ID above 2^53 is written back as an exact integer literal.
 */
export type EmulatorBackup = Omit<RawBackup, 'BackupId' | 'BackupSize' | 'BackupJobID'> & {
  BackupId?: ExactInteger;
  BackupSize?: ExactInteger;
  BackupJobID?: ExactInteger;
};

/**
 * A deliberate misbehaviour of one instance. It applies to calls that passed the signature
 * checks and name this instance, before parameter validation.
 */
export interface EmulatorFault {
  /** The error `Code` to answer; omitted with neither `Body` nor `Reset`, the call only waits. */
  Code?: string;
  /** @default 400, or 502 for a `Body` fault */
  HttpStatus?: number;
  /** How many calls fail before the instance serves again. @default every call */
  Times?: number;
  /** @default a message in the style of the real endpoint for the code */
  Message?: string;
  /** Sent in the error body, as the real endpoint does with `Forbidden.RAM`. */
  AccessDeniedDetail?: RawAccessDeniedDetail;
  /** Milliseconds to wait before answering (or failing). */
  LatencyMs?: number;
  /** A non-JSON body (a proxy's HTML page, say), sent as `text/html`. */
  Body?: string;
  /** Destroy the connection without answering. */
  Reset?: boolean;
}

/** One instance of a dataset. */
export interface EmulatorInstance {
  /** @default the sum of the sizes of the successful full backups */
  FullStorageSize?: ExactInteger;
  /** @default 0 */
  LogStorageSize?: ExactInteger;
  /** @default 0 */
  FreeSize?: ExactInteger;
  /** The items, served as given (odd values included). */
  Backups: EmulatorBackup[];
  Fault?: EmulatorFault;
  /** Replays an upstream whose `TotalCount` disagrees with its items. */
  Override?: { TotalCount?: number };
}

/** What an emulator serves: instances by InstanceId, and a delay for every call. */
export interface EmulatorDataset {
  instances: Record<string, EmulatorInstance>;
  /** Milliseconds from a call's arrival to its answer, the emulator's own work included. @default 0 */
  LatencyMs?: number;
}
