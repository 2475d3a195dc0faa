import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../logger.js';
import { ErrorCodes } from '../wire/describe-backups.js';
import { authenticate, type KeyPair } from './authenticate.js';
import type { FaultBook } from './faults.js';
import { faultMessage, sleep } from './faults.js';
import { parseCall, readBody, sendHtml, sendJson, sendJsonText } from './http-io.js';
import { identifyCall } from './identify-call.js';
import type { NonceStore } from './nonce-store.js';
import { queryBackups, sumFullStorage } from './query.js';
import type { EmulatorRequestRecord } from './request-log.js';
import { EmulatorError, errorBody, newRequestId, successBody, toJson } from './responses.js';
import type { EmulatorDataset, EmulatorFault } from './types.js';
import { readPaging, validateParams } from './validate.js';

/** What the handler reads and writes besides the request. */
export interface HandlerContext {
  dataset: EmulatorDataset;
  keys: KeyPair;
  nonces: NonceStore;
  faults: FaultBook;
  log: EmulatorRequestRecord[];
  logger: Logger;
  now: () => Date;
}

/** Answers a fault; returns false when the fault only delays and the call goes on. */
async function applyFault(
  res: ServerResponse,
  fault: EmulatorFault,
  record: EmulatorRequestRecord,
  ctx: HandlerContext,
): Promise<boolean> {
  await sleep(fault.LatencyMs ?? 0);
  if (fault.Reset) {
    record.status = null;
    ctx.log.push(record);
    res.socket?.resetAndDestroy();

    return true;
  }
  if (fault.Body !== undefined) {
    record.status = fault.HttpStatus ?? 502;
    ctx.log.push(record);
    sendHtml(res, record.status, fault.Body);

    return true;
  }
  if (fault.Code !== undefined) {
    throw new EmulatorError(
      fault.HttpStatus ?? 400,
      fault.Code,
      faultMessage(fault),
      fault.AccessDeniedDetail,
    );
  }

  return false;
}

function answer(
  ctx: HandlerContext,
  record: EmulatorRequestRecord,
  params: Record<string, string>,
) {
  const query = validateParams(params);
  const instance = ctx.dataset.instances[query.instanceId];
  if (!instance) {
    throw new EmulatorError(
      404,
      ErrorCodes.instanceNotFound,
      `The specified instance is not found: "${query.instanceId}".`,
    );
  }
  const { totalCount, page } = queryBackups(instance.Backups, query);
  record.status = 200;

  return successBody(newRequestId(), {
    pageNumber: query.pageNumber,
    pageSize: query.pageSize,
    totalCount: instance.Override?.TotalCount ?? totalCount,
    fullStorageSize: instance.FullStorageSize ?? sumFullStorage(instance.Backups),
    logStorageSize: instance.LogStorageSize ?? 0,
    freeSize: instance.FreeSize ?? 0,
    items: page,
  });
}

/** Handles one HTTP request end to end; never throws. */
export async function handleRequest(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: HandlerContext,
): Promise<void> {
  const method = (req.method ?? '').toUpperCase();
  const arrivedAt = performance.now();
  /** When a call that got as far as being identified may be answered; null before that. */
  let answerAt: number | null = null;
  // The dataset's LatencyMs is the time from arrival to answer, the emulator's own work (signature
  // check, sorting, JSON) inside it: a benchmark then charges nothing of the emulator to the
  // client beyond L. Work longer than L makes the answer that much later.
  const latency = async () => {
    if (answerAt !== null) {
      await sleep(Math.max(0, answerAt - performance.now()));
    }
  };
  const record: EmulatorRequestRecord = {
    time: ctx.now(),
    method,
    path: (req.url ?? '').split('?')[0] ?? '',
    signatureVersion: null,
    action: null,
    params: {},
    instanceId: null,
    pageSize: null,
    pageNumber: null,
    status: null,
    code: null,
  };
  try {
    if (method !== 'GET' && method !== 'POST') {
      throw new EmulatorError(
        405,
        'UnsupportedHTTPMethod',
        `The HTTP method must be GET or POST, received ${method}.`,
      );
    }
    const body = await readBody(req);
    const call = parseCall(req, body);
    record.path = call.path;
    if (call.path !== '/') {
      throw new EmulatorError(
        404,
        'InvalidApi.NotFound',
        `Specified api is not found: the path must be "/", received "${call.path}".`,
      );
    }
    const id = identifyCall(call);
    const { Signature: _signature, ...params } = id.params;
    Object.assign(record, {
      signatureVersion: id.signatureVersion,
      action: id.action ?? null,
      params,
      instanceId: params.InstanceId ?? null,
      ...readPaging(params),
    });

    answerAt = arrivedAt + (ctx.dataset.LatencyMs ?? 0);
    authenticate(call, id, ctx.keys, ctx.nonces, ctx.now());
    const fault = params.InstanceId ? ctx.faults.take(params.InstanceId) : null;
    if (fault) {
      await latency();
      if (await applyFault(res, fault, record, ctx)) {
        return;
      }
    }
    const success = answer(ctx, record, params);
    const text = toJson(success);
    await latency();
    ctx.log.push(record);
    sendJsonText(res, 200, String(success.RequestId), text);
  } catch (error) {
    const known = error instanceof EmulatorError;
    if (!known) {
      ctx.logger.error({ err: error }, 'emulator: unexpected failure');
    }
    const failure = known
      ? error
      : new EmulatorError(
          500,
          ErrorCodes.internalError,
          'The request processing has failed due to some unknown error.',
        );
    Object.assign(record, { status: failure.status, code: failure.code });
    await latency();
    ctx.log.push(record);
    const requestId = newRequestId();
    if (!res.headersSent && !res.destroyed) {
      sendJson(res, failure.status, requestId, errorBody(requestId, failure));
    }
  }
  ctx.logger.debug(
    {
      method,
      action: record.action,
      instanceId: record.instanceId,
      status: record.status,
      code: record.code,
    },
    'emulator: answered',
  );
}
