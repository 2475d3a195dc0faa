/**
 * Wire facts of R-kvstore `DescribeBackups` (API version 2015-01-01), as Alibaba Cloud documents
 * them. The emulator and the client both depend on this module and on nothing of each other, so
 * neither can quietly agree with the other on something the real endpoint does differently.
 */

export const ACTION = 'DescribeBackups';
export const API_VERSION = '2015-01-01';

/** The only PageSize values the API accepts. */
export const PAGE_SIZES = [30, 50, 100, 200, 300] as const;
export type PageSize = (typeof PAGE_SIZES)[number];
export const DEFAULT_PAGE_SIZE: PageSize = 30;
export const MAX_PAGE_SIZE: PageSize = 300;

/** StartTime and EndTime: UTC, minute precision, no seconds (`2024-05-01T10:06Z`). */
export const REQUEST_TIME_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})Z$/;

/** Times in responses and in the common `Timestamp` parameter: `2024-05-01T10:06:30Z`. */
export const RESPONSE_TIME_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;

/** How far the common `Timestamp` may be from the server's clock before `InvalidTimeStamp.Expired`. */
export const TIMESTAMP_TOLERANCE_MS = 15 * 60 * 1000;

export const SIGNATURE_V3_ALGORITHM = 'ACS3-HMAC-SHA256';

/** Upstream error codes the project names in code; the full list lives in the reference. */
export const ErrorCodes = {
  invalidStartTime: 'InvalidStartTime.Malformed',
  invalidEndTime: 'InvalidEndTime.Malformed',
  invalidWindow: 'InvalidStartTimeAndEndTime.Malformed',
  invalidPageSize: 'InvalidPageSize.Malformed',
  missingParameter: 'MissingParameter',
  invalidParameter: 'InvalidParameter',
  instanceNotFound: 'InvalidInstanceId.NotFound',
  forbiddenRam: 'Forbidden.RAM',
  accessKeyNotFound: 'InvalidAccessKeyId.NotFound',
  signatureMismatch: 'SignatureDoesNotMatch',
  incompleteSignature: 'IncompleteSignature',
  nonceUsed: 'SignatureNonceUsed',
  timestampExpired: 'InvalidTimeStamp.Expired',
  illegalTimestamp: 'IllegalTimestamp',
  actionNotFound: 'InvalidAction.NotFound',
  internalError: 'InternalError',
} as const;

/** One item of `Backups.Backup[]`, exactly as the API sends it. */
export interface RawBackup {
  BackupId?: number | string;
  BackupStatus?: string;
  BackupType?: string;
  BackupMode?: string;
  BackupMethod?: string;
  BackupStartTime?: string;
  BackupEndTime?: string;
  BackupSize?: number | string;
  BackupDownloadURL?: string;
  BackupIntranetDownloadURL?: string;
  NodeInstanceId?: string;
  BackupDBNames?: string;
  EngineVersion?: string;
  BackupJobID?: number | string;
  RecoverConfigMode?: string;
  ExpectExpireTime?: string;
}

/** The deprecated diagnostic object that accompanies access-denied answers. */
export interface RawAccessDeniedDetail {
  AuthAction?: string;
  AuthPrincipalDisplayName?: string;
  AuthPrincipalOwnerId?: string;
  AuthPrincipalType?: string;
  EncodedDiagnosticMessage?: string;
  NoPermissionType?: string;
  PolicyType?: string;
}

/** A successful DescribeBackups body. */
export interface RawDescribeBackupsResponse {
  RequestId: string;
  PageNumber: number;
  PageSize: number;
  TotalCount: number;
  FullStorageSize?: number;
  LogStorageSize?: number;
  FreeSize?: number;
  Backups: { Backup: RawBackup[] };
  AccessDeniedDetail?: RawAccessDeniedDetail;
}

/** The body of every Alibaba Cloud RPC error. */
export interface RawErrorBody {
  RequestId: string;
  HostId: string;
  Code: string;
  Message: string;
  Recommend: string;
  AccessDeniedDetail?: RawAccessDeniedDetail;
}
