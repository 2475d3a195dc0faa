import {
  ACTION,
  API_VERSION,
  ErrorCodes,
  RESPONSE_TIME_PATTERN,
  TIMESTAMP_TOLERANCE_MS,
} from '../wire/describe-backups.js';
import { header, type IdentifiedCall, type IncomingCall } from './identify-call.js';
import type { NonceStore } from './nonce-store.js';
import { EmulatorError } from './responses.js';
import {
  parseV3Authorization,
  sha256Hex,
  signV1,
  signV3,
  v1StringToSign,
  v3CanonicalRequest,
  v3StringToSign,
} from './signature.js';

export interface KeyPair {
  accessKeyId: string;
  accessKeySecret: string;
}

const missing = (name: string) =>
  new EmulatorError(
    400,
    ErrorCodes.missingParameter,
    `The input parameter "${name}" that is mandatory for processing this request is not supplied.`,
  );

function checkActionAndVersion(call: IdentifiedCall): void {
  if (call.action === undefined || call.action === '') {
    throw missing('Action');
  }
  if (call.version === undefined || call.version === '') {
    throw missing('Version');
  }
  if (call.version !== API_VERSION) {
    throw new EmulatorError(
      400,
      'InvalidVersion',
      `Specified parameter Version is not valid: expected ${API_VERSION}, received "${call.version}".`,
    );
  }
  if (call.action !== ACTION) {
    throw new EmulatorError(
      404,
      ErrorCodes.actionNotFound,
      `Specified api is not found, please check your url and method: action "${call.action}".`,
    );
  }
}

/** Checks the stamp's format and its distance from the server's clock; returns it in ms. */
function checkTimestamp(name: string, value: string, nowMs: number): number {
  const match = RESPONSE_TIME_PATTERN.exec(value);
  const ms = match ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new EmulatorError(
      400,
      ErrorCodes.illegalTimestamp,
      `The input parameter "${name}" does not match yyyy-MM-ddTHH:mm:ssZ in UTC: received "${value}".`,
    );
  }
  if (Math.abs(ms - nowMs) > TIMESTAMP_TOLERANCE_MS) {
    throw new EmulatorError(
      400,
      ErrorCodes.timestampExpired,
      `Specified time stamp or date value is expired: "${value}" is more than 15 minutes from the server time.`,
    );
  }

  return ms;
}

function checkKey(accessKeyId: string, keys: KeyPair): void {
  if (accessKeyId !== keys.accessKeyId) {
    throw new EmulatorError(
      404,
      ErrorCodes.accessKeyNotFound,
      'Specified access key is not found.',
    );
  }
}

function rememberNonce(nonces: NonceStore, nonce: string, stampMs: number, nowMs: number): void {
  if (!nonces.remember(nonce, stampMs, nowMs)) {
    throw new EmulatorError(
      400,
      ErrorCodes.nonceUsed,
      'Specified signature nonce was used already.',
    );
  }
}

const mismatch = (detail: string) =>
  new EmulatorError(
    400,
    ErrorCodes.signatureMismatch,
    `Specified signature is not matched with our calculation. ${detail}`,
  );

function verifyV1(
  call: IncomingCall,
  id: IdentifiedCall,
  keys: KeyPair,
  nonces: NonceStore,
  nowMs: number,
): void {
  const { params } = id;
  for (const name of ['AccessKeyId', 'Signature', 'SignatureNonce', 'Timestamp']) {
    if (!params[name]) {
      throw missing(name);
    }
  }
  checkKey(params.AccessKeyId!, keys);
  const stampMs = checkTimestamp('Timestamp', params.Timestamp!, nowMs);

  // The string to sign uses the method the request actually came with.
  const stringToSign = v1StringToSign(call.method, params);
  if (signV1(stringToSign, keys.accessKeySecret) !== params.Signature) {
    throw mismatch(`server string to sign is:${stringToSign}`);
  }
  rememberNonce(nonces, params.SignatureNonce!, stampMs, nowMs);
}

function verifyV3(call: IncomingCall, keys: KeyPair, nonces: NonceStore, nowMs: number): void {
  const auth = parseV3Authorization(header(call.headers, 'authorization') ?? '');
  if (!auth) {
    throw new EmulatorError(
      400,
      ErrorCodes.incompleteSignature,
      'The request signature does not conform to Aliyun standards: expected "ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…".',
    );
  }
  const headers: Record<string, string> = {};
  for (const name of ['x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256']) {
    const value = header(call.headers, name);
    if (!value) {
      throw missing(name);
    }
    headers[name] = value;
  }
  for (const name of ['host', 'x-acs-date', 'x-acs-signature-nonce']) {
    if (!auth.signedHeaders.includes(name)) {
      throw new EmulatorError(
        400,
        ErrorCodes.incompleteSignature,
        `The request signature does not conform to Aliyun standards: SignedHeaders lacks "${name}".`,
      );
    }
  }
  checkKey(auth.accessKeyId, keys);
  const stampMs = checkTimestamp('x-acs-date', headers['x-acs-date']!, nowMs);
  const payloadHash = sha256Hex(call.body);
  if (headers['x-acs-content-sha256'] !== payloadHash) {
    throw mismatch(`x-acs-content-sha256 is not the SHA-256 of the body, which is ${payloadHash}.`);
  }

  for (const name of auth.signedHeaders) {
    headers[name] = header(call.headers, name) ?? '';
  }
  const parts = {
    method: call.method,
    path: call.path,
    query: call.query,
    headers,
    signedHeaders: auth.signedHeaders,
    payloadHash,
  };
  const canonicalRequest = v3CanonicalRequest(parts);
  const stringToSign = v3StringToSign(canonicalRequest);
  if (signV3(stringToSign, keys.accessKeySecret) !== auth.signature) {
    throw mismatch(
      `server string to sign is:${stringToSign} canonical request is:${canonicalRequest}`,
    );
  }
  rememberNonce(nonces, headers['x-acs-signature-nonce']!, stampMs, nowMs);
}

/**
 * Runs the signature checks in this order: action and version, presence of the signing
 * parameters, key, timestamp, signature, then the nonce (recorded only for a valid signature, so
 * a forged request cannot burn one). The real endpoint's order is not documented; this is ours.
 * Throws an {@link EmulatorError}.
 */
export function authenticate(
  call: IncomingCall,
  id: IdentifiedCall,
  keys: KeyPair,
  nonces: NonceStore,
  now: Date,
): void {
  if (
    id.signatureVersion === null &&
    header(call.headers, 'x-acs-action') !== undefined &&
    id.action === undefined
  ) {
    throw new EmulatorError(
      400,
      ErrorCodes.incompleteSignature,
      'The request signature is missing: no Authorization header and no Signature parameter.',
    );
  }
  checkActionAndVersion(id);
  if (id.signatureVersion === 'ACS3-HMAC-SHA256') {
    verifyV3(call, keys, nonces, now.getTime());
  } else {
    verifyV1(call, id, keys, nonces, now.getTime());
  }
}
