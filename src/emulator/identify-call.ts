import type { IncomingHttpHeaders } from 'node:http';

export type SignatureVersion = '1.0' | 'ACS3-HMAC-SHA256';

/** A parsed HTTP request, before any check. */
export interface IncomingCall {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Parameters of an `application/x-www-form-urlencoded` body. */
  form: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** What a call claims to be: scheme, action, version and its API parameters. */
export interface IdentifiedCall {
  signatureVersion: SignatureVersion | null;
  action: string | undefined;
  version: string | undefined;
  /** Every parameter received, `Signature` included. */
  params: Record<string, string>;
}

/** A header's value as one string (repeated headers joined by commas). */
export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];

  return Array.isArray(value) ? value.join(',') : value;
}

/** Tells the two signature schemes apart and collects the parameters each one carries. */
export function identifyCall(call: IncomingCall): IdentifiedCall {
  if (header(call.headers, 'authorization') !== undefined) {
    return {
      signatureVersion: 'ACS3-HMAC-SHA256',
      action: header(call.headers, 'x-acs-action'),
      version: header(call.headers, 'x-acs-version'),
      params: { ...call.form, ...call.query },
    };
  }

  // pop-core sends the x-acs-action header too, so only the Signature parameter marks 1.0.
  const params = call.method === 'POST' ? { ...call.query, ...call.form } : { ...call.query };
  const signed = params.Signature !== undefined || params.SignatureVersion !== undefined;

  return {
    signatureVersion: signed ? '1.0' : null,
    action: params.Action,
    version: params.Version,
    params,
  };
}
