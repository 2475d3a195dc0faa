import type { Plugin } from 'graphql-yoga';

/** The largest request body the gateway reads. @default 1 MiB */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * Refuses request bodies larger than `maxBytes` before they are read or parsed: HTTP 413 with a
 * GraphQL error naming the limit. A body sent without a length (chunked) is refused with 411, as
 * its size could only be learnt by reading it; every GraphQL client sends the length.
 */
export function useBodyLimit(maxBytes: number = DEFAULT_MAX_BODY_BYTES): Plugin {
  return {
    onRequest({ request, endResponse, fetchAPI }) {
      if (request.method !== 'POST') {
        return;
      }
      const length = request.headers.get('content-length');
      // Without a length the size is only known once read (a chunked body): refuse it unread.
      const chunked = length === null;
      const tooLarge = length !== null && Number(length) > maxBytes;
      if (!chunked && !tooLarge) {
        return;
      }

      const message = chunked
        ? 'the request body must be sent with a Content-Length'
        : `the request body is ${length} bytes; the gateway reads at most ${maxBytes}`;
      endResponse(
        new fetchAPI.Response(
          JSON.stringify({ errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] }),
          {
            status: chunked ? 411 : 413,
            headers: { 'content-type': 'application/json; charset=utf-8' },
          },
        ),
      );
    },
  };
}
