import type { BackupLoaders } from '../loaders/backup-loaders.js';
import type { Logger } from '../logger.js';

/** Settings the schema reads; fixed for the life of the process. */
export interface SchemaSettings {
  /** Null download URLs for deployments whose clients must not download. @default false */
  withholdDownloadUrls: boolean;
}

/** Per-request state. A fresh one for every operation, so loaders never share across requests. */
export interface GatewayContext {
  loaders: BackupLoaders;
  /** "Now", read once per request: the default endTime of every window in the operation. */
  now: Date;
  logger: Logger;
  settings: SchemaSettings;
}
