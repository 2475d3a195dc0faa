import { randomUUID } from 'node:crypto';
import JSONbig from 'json-bigint';
import type { RawAccessDeniedDetail } from '../wire/describe-backups.js';
import type { EmulatorBackup, ExactInteger } from './types.js';

/** The `HostId` of every body, the central endpoint's host name. */
export const HOST_ID = 'r-kvstore.aliyuncs.com';

export const JSON_CONTENT_TYPE = 'application/json;charset=utf-8';

// json-bigint writes a bigint as a bare integer literal, which JSON.stringify refuses to do.
const serializer = JSONbig({ useNativeBigInt: true });

/** Serialises a body, writing `bigint` values as exact integer literals. */
export function toJson(body: unknown): string {
  return serializer.stringify(body);
}

/** A fresh request ID in the endpoint's form: an uppercase UUID. */
export function newRequestId(): string {
  return randomUUID().toUpperCase();
}

/** The deprecated object success bodies carry, filled with dashes as in the published example. */
export function placeholderAccessDeniedDetail(): Required<RawAccessDeniedDetail> {
  return {
    AuthAction: '-',
    AuthPrincipalDisplayName: '-',
    AuthPrincipalOwnerId: '-',
    AuthPrincipalType: '-',
    EncodedDiagnosticMessage: '-',
    NoPermissionType: '-',
    PolicyType: '-',
  };
}

/** A rejection the emulator answers with the error body of the real endpoint. */
export class EmulatorError extends Error {
  override name = 'EmulatorError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly accessDeniedDetail?: RawAccessDeniedDetail,
  ) {
    super(message);
  }
}

/** The error body: exactly RequestId, HostId, Code, Message, Recommend (+ AccessDeniedDetail). */
export function errorBody(requestId: string, error: EmulatorError): Record<string, unknown> {
  const body: Record<string, unknown> = {
    RequestId: requestId,
    HostId: HOST_ID,
    Code: error.code,
    Message: error.message,
    Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(error.code)}&product=R-kvstore&requestId=${requestId}`,
  };
  if (error.accessDeniedDetail) {
    body.AccessDeniedDetail = error.accessDeniedDetail;
  }

  return body;
}

/** The numbers of one success body besides the items. */
export interface SuccessPage {
  pageNumber: number;
  pageSize: number;
  totalCount: number;
  fullStorageSize: ExactInteger;
  logStorageSize: ExactInteger;
  freeSize: ExactInteger;
  items: readonly EmulatorBackup[];
}

/** A success body in the key order of the published example. */
export function successBody(requestId: string, page: SuccessPage): Record<string, unknown> {
  return {
    RequestId: requestId,
    PageNumber: page.pageNumber,
    PageSize: page.pageSize,
    TotalCount: page.totalCount,
    FullStorageSize: page.fullStorageSize,
    LogStorageSize: page.logStorageSize,
    FreeSize: page.freeSize,
    Backups: { Backup: page.items },
    AccessDeniedDetail: placeholderAccessDeniedDetail(),
  };
}
