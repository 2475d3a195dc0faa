import { randomUUID } from 'node:crypto';

/** A caller's `x-request-id` is kept only when it looks like an id, so logs stay one line each. */
const ACCEPTED_REQUEST_ID = /^[\w.:-]{1,128}$/;

const requestIds = new WeakMap<Request, string>();

/**
 * The id of one HTTP request: the caller's `x-request-id` when it is a plain token of at most 128
 * characters, else a fresh UUID. The same Request always gets the same id, so the context, the
 * request log line and the response header agree.
 */
export function requestIdOf(request: Request): string {
  let id = requestIds.get(request);
  if (id === undefined) {
    const offered = request.headers.get('x-request-id');
    id = offered !== null && ACCEPTED_REQUEST_ID.test(offered) ? offered : randomUUID();
    requestIds.set(request, id);
  }

  return id;
}
