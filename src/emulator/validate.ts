import {
  DEFAULT_PAGE_SIZE,
  ErrorCodes,
  PAGE_SIZES,
  REQUEST_TIME_PATTERN,
} from '../wire/describe-backups.js';
import { EmulatorError } from './responses.js';

/** A checked DescribeBackups call. */
export interface BackupQuery {
  instanceId: string;
  /** Window bounds in ms, both inclusive, to the second. */
  startMs: number;
  endMs: number;
  pageSize: number;
  pageNumber: number;
  /** Exact decimal strings. */
  backupId?: string;
  backupJobId?: string;
  needAof: boolean;
}

const INTEGER = /^[0-9]+$/;

function invalid(code: string, name: string, rule: string, value: string): EmulatorError {
  return new EmulatorError(
    400,
    code,
    `The specified parameter "${name}" is not valid: ${rule}, received "${value}".`,
  );
}

/** Minute-precision UTC time → ms; NaN when malformed or not a real date (e.g. Feb 30). */
function parseRequestTime(value: string): number {
  const match = REQUEST_TIME_PATTERN.exec(value);
  if (!match) {
    return Number.NaN;
  }
  const [, year, month, day, hour, minute] = match.map(Number) as number[];
  const ms = Date.UTC(year!, month! - 1, day!, hour!, minute!);
  const back = new Date(ms);
  const exact =
    back.getUTCFullYear() === year &&
    back.getUTCMonth() === month! - 1 &&
    back.getUTCDate() === day &&
    back.getUTCHours() === hour &&
    back.getUTCMinutes() === minute;

  return exact ? ms : Number.NaN;
}

/** PageSize and PageNumber as the request log shows them: numbers after defaults, or null. */
export function readPaging(params: Record<string, string>): {
  pageSize: number | null;
  pageNumber: number | null;
} {
  const read = (value: string | undefined, fallback: number) =>
    value === undefined ? fallback : INTEGER.test(value) ? Number(value) : null;

  return {
    pageSize: read(params.PageSize, DEFAULT_PAGE_SIZE),
    pageNumber: read(params.PageNumber, 1),
  };
}

function optionalId(params: Record<string, string>, name: string): string | undefined {
  const value = params[name];
  if (value === undefined || value === '') {
    return undefined;
  }
  if (!INTEGER.test(value)) {
    throw invalid(ErrorCodes.invalidParameter, name, 'expected an integer', value);
  }

  return BigInt(value).toString();
}

/** Checks the parameters as the reference documents; throws the documented code. */
export function validateParams(params: Record<string, string>): BackupQuery {
  for (const name of ['InstanceId', 'StartTime', 'EndTime']) {
    if (!params[name]) {
      throw new EmulatorError(
        400,
        ErrorCodes.missingParameter,
        `The input parameter "${name}" that is mandatory for processing this request is not supplied.`,
      );
    }
  }
  const { StartTime: start, EndTime: end } = params as Record<'StartTime' | 'EndTime', string>;
  const startMs = parseRequestTime(start);
  if (Number.isNaN(startMs)) {
    throw invalid(ErrorCodes.invalidStartTime, 'StartTime', 'expected yyyy-MM-ddTHH:mmZ', start);
  }
  const endMs = parseRequestTime(end);
  if (Number.isNaN(endMs)) {
    throw invalid(ErrorCodes.invalidEndTime, 'EndTime', 'expected yyyy-MM-ddTHH:mmZ', end);
  }
  if (endMs <= startMs) {
    throw invalid(
      ErrorCodes.invalidWindow,
      'EndTime',
      `expected later than StartTime ${start}`,
      end,
    );
  }

  const { pageSize, pageNumber } = readPaging(params);
  if (pageSize === null || !(PAGE_SIZES as readonly number[]).includes(pageSize)) {
    const rule = `expected one of ${PAGE_SIZES.join(', ')}`;
    throw invalid(ErrorCodes.invalidPageSize, 'PageSize', rule, params.PageSize ?? '');
  }
  if (pageNumber === null || pageNumber < 1 || !Number.isSafeInteger(pageNumber)) {
    const rule = 'expected an integer of 1 or more';
    throw invalid(ErrorCodes.invalidParameter, 'PageNumber', rule, params.PageNumber ?? '');
  }
  const needAof = params.NeedAof ?? '0';
  if (needAof !== '0' && needAof !== '1') {
    throw invalid(ErrorCodes.invalidParameter, 'NeedAof', 'expected 0 or 1', needAof);
  }

  return {
    instanceId: params.InstanceId!,
    startMs,
    endMs,
    pageSize,
    pageNumber,
    backupId: optionalId(params, 'BackupId'),
    backupJobId: optionalId(params, 'BackupJobId'),
    needAof: needAof === '1',
  };
}
