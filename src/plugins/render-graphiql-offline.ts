import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { GraphiQLOptions } from 'graphql-yoga';

let cached: { key: string; html: string } | null = null;

/**
 * GraphiQL's page with its scripts, styles and editor workers inlined from
 * `@graphql-yoga/render-graphiql` (about 9 MB), so it works with no internet; yoga's own page
 * loads them from a CDN. The bundled GraphiQL 5 opens with its welcome text whatever
 * `defaultQuery` says and reads the query to show from `query` (after `?query=` in the URL), so
 * `defaultQuery` is passed on as `query`. The page is built once per distinct options.
 */
export function renderGraphiQLOffline(options: GraphiQLOptions): string {
  const key = JSON.stringify(options);
  if (cached?.key !== key) {
    const withQuery = { ...options, query: options.defaultQuery };
    cached = { key, html: renderGraphiQL(withQuery) };
  }

  return cached.html;
}
