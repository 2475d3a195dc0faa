import { DEFAULT_PAGE_SIZE, PAGE_SIZES, type PageSize } from '../wire/describe-backups.js';
import { InvalidArgumentError } from './errors.js';
import type { DescribeBackupsInput } from './types.js';

/** Longer instance ids than this are refused before any call; real ones are ~20 characters. */
export const MAX_INSTANCE_ID_LENGTH = 256;

// Unicode category Cc: C0 controls, DEL and C1 controls.
const CONTROL_CHARACTERS = /\p{Cc}/u;
const DECIMAL_ID = /^\d{1,20}$/;
const MIN_YEAR = 1970;
const MAX_YEAR = 9999;

/** The request parameters of one DescribeBackups call, already in the API's words and formats. */
export interface DescribeBackupsParams {
  InstanceId: string;
  StartTime: string;
  EndTime: string;
  PageSize: string;
  PageNumber: string;
  BackupId?: string;
  BackupJobId?: string;
  NeedAof?: string;
}

/** Formats a whole-minute Date as the API's request time, `yyyy-MM-ddTHH:mmZ`. */
export function formatRequestTime(date: Date): string {
  // toISOString gives `yyyy-MM-ddTHH:mm:ss.sssZ` for years 0-9999; drop seconds and millis.
  return `${date.toISOString().slice(0, 16)}Z`;
}

function describe(value: unknown): string {
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  }

  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function checkInstanceId(instanceId: unknown): string {
  if (typeof instanceId !== 'string' || instanceId.length === 0) {
    throw new InvalidArgumentError(
      'instanceId',
      `instanceId must be a non-empty string; received ${describe(instanceId)}`,
    );
  }
  if (instanceId.length > MAX_INSTANCE_ID_LENGTH) {
    throw new InvalidArgumentError(
      'instanceId',
      `instanceId must be at most ${MAX_INSTANCE_ID_LENGTH} characters; received ${instanceId.length}`,
    );
  }
  // A lone surrogate cannot be percent-encoded (the request could not even be signed).
  if (!instanceId.isWellFormed()) {
    throw new InvalidArgumentError(
      'instanceId',
      `instanceId must be well-formed Unicode; received ${JSON.stringify(instanceId)}, which holds a lone surrogate`,
    );
  }
  if (CONTROL_CHARACTERS.test(instanceId)) {
    throw new InvalidArgumentError(
      'instanceId',
      `instanceId must not contain control characters; received ${JSON.stringify(instanceId)}`,
    );
  }

  return instanceId;
}

function checkTime(argument: 'startTime' | 'endTime', value: unknown): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new InvalidArgumentError(
      argument,
      `${argument} must be a valid Date; received ${describe(value)}`,
    );
  }
  if (value.getUTCSeconds() !== 0 || value.getUTCMilliseconds() !== 0) {
    throw new InvalidArgumentError(
      argument,
      `${argument} must sit on a whole minute (the API has minute precision); received ${describe(value)}`,
    );
  }
  const year = value.getUTCFullYear();
  if (year < MIN_YEAR || year > MAX_YEAR) {
    throw new InvalidArgumentError(
      argument,
      `${argument} must fall in the years ${MIN_YEAR}-${MAX_YEAR}; received ${describe(value)}`,
    );
  }

  return value;
}

function checkDecimalId(argument: 'backupId' | 'backupJobId', value: unknown): string {
  if (typeof value !== 'string' || !DECIMAL_ID.test(value)) {
    throw new InvalidArgumentError(
      argument,
      `${argument} must be a decimal string of 1-20 digits; received ${describe(value)}`,
    );
  }

  return value;
}

/**
 * Checks the input as the API would and turns it into request parameters. Everything the API
 * would refuse is refused here, before any call, with an InvalidArgumentError naming the argument.
 */
export function buildDescribeBackupsParams(input: DescribeBackupsInput): DescribeBackupsParams {
  const instanceId = checkInstanceId(input.instanceId);
  const startTime = checkTime('startTime', input.startTime);
  const endTime = checkTime('endTime', input.endTime);
  if (endTime.getTime() <= startTime.getTime()) {
    throw new InvalidArgumentError(
      'endTime',
      `endTime must be later than startTime (${describe(startTime)}); received ${describe(endTime)}`,
    );
  }

  const pageSize: PageSize = input.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!(PAGE_SIZES as readonly number[]).includes(pageSize)) {
    throw new InvalidArgumentError(
      'pageSize',
      `pageSize must be one of ${PAGE_SIZES.join(', ')}; received ${describe(pageSize)}`,
    );
  }
  const pageNumber = input.pageNumber ?? 1;
  if (!Number.isSafeInteger(pageNumber) || pageNumber < 1) {
    throw new InvalidArgumentError(
      'pageNumber',
      `pageNumber must be a positive safe integer; received ${describe(pageNumber)}`,
    );
  }

  const params: DescribeBackupsParams = {
    InstanceId: instanceId,
    StartTime: formatRequestTime(startTime),
    EndTime: formatRequestTime(endTime),
    PageSize: String(pageSize),
    PageNumber: String(pageNumber),
  };
  if (input.backupId !== undefined) {
    params.BackupId = checkDecimalId('backupId', input.backupId);
  }
  if (input.backupJobId !== undefined) {
    params.BackupJobId = checkDecimalId('backupJobId', input.backupJobId);
  }
  if (input.needAof === true) {
    params.NeedAof = '1';
  }

  return params;
}
