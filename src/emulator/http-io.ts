import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IncomingCall } from './identify-call.js';
import { EmulatorError, JSON_CONTENT_TYPE, toJson } from './responses.js';

/** Bodies above this size are refused with 413 before they are parsed. */
export const MAX_BODY_BYTES = 64 * 1024;

const tooLarge = (received: string) =>
  new EmulatorError(
    413,
    'RequestEntityTooLarge',
    `The request body must be at most ${MAX_BODY_BYTES} bytes, received ${received}.`,
  );

/** Reads the whole body, refusing it once it passes {@link MAX_BODY_BYTES}. */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) {
    return Promise.reject(tooLarge(`${declared} bytes`));
  }

  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners('data');
        reject(tooLarge('more'));

        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    // A client that hangs up mid-body is an ordinary event, not an emulator failure.
    req.on('error', (error) => {
      reject(new EmulatorError(400, 'InvalidParameter', `The body was cut off: ${error.message}.`));
    });
  });
}

function toRecord(params: URLSearchParams): Record<string, string> {
  const record: Record<string, string> = {};
  for (const [name, value] of params) {
    record[name] = value;
  }

  return record;
}

/** Splits a request into path, query, form parameters and headers; throws on an unusable URL. */
export function parseCall(req: IncomingMessage, body: Buffer): IncomingCall {
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://emulator.invalid');
  } catch {
    throw new EmulatorError(400, 'InvalidParameter', `The request URL is not valid: "${req.url}".`);
  }
  const contentType = String(req.headers['content-type'] ?? '');
  const isForm = contentType.toLowerCase().startsWith('application/x-www-form-urlencoded');
  const form = isForm ? toRecord(new URLSearchParams(body.toString('utf8'))) : {};

  return {
    method: (req.method ?? 'GET').toUpperCase(),
    path: url.pathname,
    query: toRecord(url.searchParams),
    form,
    headers: req.headers,
    body,
  };
}

/** Sends a JSON body (bigints exact) with the request ID header the endpoint sets. */
export function sendJson(
  res: ServerResponse,
  status: number,
  requestId: string,
  body: unknown,
): void {
  sendJsonText(res, status, requestId, toJson(body));
}

/** Sends a body already serialised with `toJson`: a latency can then start after the work. */
export function sendJsonText(
  res: ServerResponse,
  status: number,
  requestId: string,
  text: string,
): void {
  res.writeHead(status, {
    'content-type': JSON_CONTENT_TYPE,
    'content-length': Buffer.byteLength(text),
    'x-acs-request-id': requestId,
    // A refused upload may still be arriving; closing keeps it off the next request.
    ...(status === 413 ? { connection: 'close' } : {}),
  });
  res.end(text);
}

/** Sends a deliberate non-JSON body, as a proxy in front of the endpoint would. */
export function sendHtml(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, {
    'content-type': 'text/html;charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}
