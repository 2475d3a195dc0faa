import type { GraphiQLOptions } from 'graphql-yoga';

let cached: { key: string; html: Promise<string> } | null = null;

/**
 * GraphiQL's page with its scripts, styles and editor workers inlined from
 * `@graphql-yoga/render-graphiql` (about 9 MB), so it works with no internet; yoga's own page
 * loads them from a CDN. The package is imported on the first visit, not at start: loaded, it
 * holds about 70 MB that a gateway nobody browses need not carry. The bundled GraphiQL 5 opens
 * with its welcome text whatever `defaultQuery` says and reads the query to show from `query`
 * (after `?query=` in the URL), so `defaultQuery` is passed on as `query`. The page is built once
 * per distinct options.
 */
export function renderGraphiQLOffline(options: GraphiQLOptions): Promise<string> {
  const key = JSON.stringify(options);
  if (cached?.key !== key) {
    const withQuery = { ...options, query: options.defaultQuery };
    const html = import('@graphql-yoga/render-graphiql').then(({ renderGraphiQL }) =>
      renderGraphiQL(withQuery),
    );
    // A failed import is tried again on the next visit rather than remembered.
    html.catch(() => {
      cached = null;
    });
    cached = { key, html };
  }

  return cached.html;
}
