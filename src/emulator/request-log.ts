import type { SignatureVersion } from './identify-call.js';

/** One HTTP request the emulator received, as tests read it back. */
export interface EmulatorRequestRecord {
  /** When the request arrived, by the emulator's clock. */
  time: Date;
  method: string;
  path: string;
  /** The scheme the request used; null when it carried no signature. */
  signatureVersion: SignatureVersion | null;
  action: string | null;
  /** Every API parameter received except `Signature`. */
  params: Record<string, string>;
  instanceId: string | null;
  /** After defaults (30 and 1); null when the value received is not an integer. */
  pageSize: number | null;
  pageNumber: number | null;
  /** The HTTP status answered; null when the connection was reset on purpose. */
  status: number | null;
  /** The error `Code` answered, if any. */
  code: string | null;
}
