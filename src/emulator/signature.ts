import { createHash, createHmac, randomUUID } from 'node:crypto';
import { SIGNATURE_V3_ALGORITHM } from '../wire/describe-backups.js';

/** RFC 3986 percent-encoding: `A-Za-z0-9-_.~` kept, space as `%20`, `*` as `%2A`. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Parameters sorted by name, encoded, joined as `k=v&…`. */
export function canonicalQuery(params: Record<string, string>): string {
  const names = Object.keys(params).sort();

  return names.map((name) => `${percentEncode(name)}=${percentEncode(params[name]!)}`).join('&');
}

/** Signature 1.0 string to sign: `<METHOD>&%2F&<encoded canonical query>`, `Signature` left out. */
export function v1StringToSign(method: string, params: Record<string, string>): string {
  const { Signature: _ignored, ...signed } = params;

  return `${method.toUpperCase()}&%2F&${percentEncode(canonicalQuery(signed))}`;
}

/** Signature 1.0: base64 HMAC-SHA1 keyed with `<secret>&`. */
export function signV1(stringToSign: string, accessKeySecret: string): string {
  return createHmac('sha1', `${accessKeySecret}&`).update(stringToSign).digest('base64');
}

/** The fields of an `Authorization: ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…`. */
export interface V3Authorization {
  accessKeyId: string;
  signedHeaders: string[];
  signature: string;
}

/** Parses a V3 Authorization header; `null` when it is not one. */
export function parseV3Authorization(header: string): V3Authorization | null {
  const prefix = `${SIGNATURE_V3_ALGORITHM} `;
  if (!header.startsWith(prefix)) {
    return null;
  }

  const fields = new Map<string, string>();
  for (const part of header.slice(prefix.length).split(',')) {
    const at = part.indexOf('=');
    if (at > 0) {
      fields.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
    }
  }
  const accessKeyId = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!accessKeyId || !signedHeaders || !signature) {
    return null;
  }

  return { accessKeyId, signedHeaders: signedHeaders.split(';'), signature };
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The parts a V3 canonical request is built from. */
export interface V3RequestParts {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Header values by lower-case name. */
  headers: Record<string, string>;
  /** Lower-case names, in the order to sign (sorted by the signer). */
  signedHeaders: readonly string[];
  payloadHash: string;
}

/** The V3 canonical request: method, path, query, header block, signed names, payload hash. */
export function v3CanonicalRequest(parts: V3RequestParts): string {
  const names = [...parts.signedHeaders].sort();
  const headerBlock = names
    .map((name) => `${name}:${(parts.headers[name] ?? '').trim()}\n`)
    .join('');

  return [
    parts.method.toUpperCase(),
    parts.path,
    canonicalQuery(parts.query),
    headerBlock,
    names.join(';'),
    parts.payloadHash,
  ].join('\n');
}

export function v3StringToSign(canonicalRequest: string): string {
  return `${SIGNATURE_V3_ALGORITHM}\n${sha256Hex(canonicalRequest)}`;
}

/** V3: hex HMAC-SHA256 keyed with the AccessKeySecret. */
export function signV3(stringToSign: string, accessKeySecret: string): string {
  return createHmac('sha256', accessKeySecret).update(stringToSign).digest('hex');
}

/** UTC `yyyy-MM-ddTHH:mm:ssZ`, the form of `Timestamp` and `x-acs-date`. */
export function formatTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/**
 * Signs RPC parameters with signature 1.0 as pop-core does, for tests and tools that build raw
 * requests. Returns the parameters with the common ones and `Signature` added.
 */
export function signV1Params(
  method: string,
  params: Record<string, string>,
  credentials: { accessKeyId: string; accessKeySecret: string },
  now: Date = new Date(),
): Record<string, string> {
  const all: Record<string, string> = {
    Format: 'JSON',
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: randomUUID(),
    Timestamp: formatTimestamp(now),
    AccessKeyId: credentials.accessKeyId,
    ...params,
  };

  return { ...all, Signature: signV1(v1StringToSign(method, all), credentials.accessKeySecret) };
}
