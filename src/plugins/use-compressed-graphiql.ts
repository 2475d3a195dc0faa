import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Plugin } from 'graphql-yoga';

const gzipAsync = promisify(gzip);

/** True when an Accept-Encoding header accepts gzip (`gzip`, `gzip;q=0.5`, `*`; not `q=0`). */
export function acceptsGzip(header: string | null): boolean {
  return (header ?? '').split(',').some((part) => {
    const [coding = '', ...params] = part.split(';').map((text) => text.trim().toLowerCase());
    const q = params.find((param) => param.startsWith('q='));

    return (coding === 'gzip' || coding === '*') && (q === undefined || Number(q.slice(2)) > 0);
  });
}

/**
 * Sends GraphiQL's page gzip-compressed to a browser that accepts gzip: the page inlines
 * GraphiQL's scripts (about 9 MB, see renderGraphiQLOffline) and gzip sends about 2.4 MB. The
 * page is compressed once, not per visit (about 0.2 s of CPU each time would let anyone who
 * reloads it keep a core busy), and only with gzip, every browser's; brotli at its default
 * quality took 11 s for it. GraphQL answers are left as they are: small and many, compressing
 * each would cost CPU on every request, and a proxy in front can do it where wanted.
 */
export function useCompressedGraphiQL(): Plugin {
  let cached: { html: string; gzipped: Promise<Uint8Array<ArrayBuffer>> } | null = null;
  const gzipOnce = (html: string) => {
    if (cached?.html !== html) {
      cached = { html, gzipped: gzipAsync(html).then((buffer) => Uint8Array.from(buffer)) };
    }

    return cached.gzipped;
  };

  return {
    onResponse({ request, response, setResponse, fetchAPI }) {
      // Returns nothing for every other answer: no promise a GraphQL response waits on.
      if (!response.headers.get('content-type')?.startsWith('text/html')) {
        return;
      }
      const headers = new fetchAPI.Headers(response.headers);
      headers.append('vary', 'Accept-Encoding');
      if (!acceptsGzip(request.headers.get('accept-encoding'))) {
        setResponse(new fetchAPI.Response(response.body, { status: response.status, headers }));
        return;
      }

      return response
        .text()
        .then(gzipOnce)
        .then((gzipped) => {
          headers.set('content-encoding', 'gzip');
          headers.set('content-length', String(gzipped.length));
          setResponse(new fetchAPI.Response(gzipped, { status: response.status, headers }));
        });
    },
  };
}
