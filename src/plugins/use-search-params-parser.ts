import { createGraphQLError, type GraphQLParams, type Plugin } from 'graphql-yoga';

/** The JSON-valued parameters of a query string or a form body. */
type JsonParam = 'variables' | 'extensions';

function isFormPost(request: Request): boolean {
  const contentType = request.headers.get('content-type')?.split(',')[0]?.trim() ?? '';

  return (
    request.method === 'POST' &&
    (contentType === 'application/x-www-form-urlencoded' ||
      contentType.startsWith('application/x-www-form-urlencoded;'))
  );
}

function jsonParam(params: URLSearchParams, name: JsonParam): Record<string, unknown> | undefined {
  const text = params.get(name);
  if (!text) {
    return undefined;
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw createGraphQLError(`The "${name}" parameter is not valid JSON.`, {
      extensions: { http: { spec: true, status: 400 }, code: 'BAD_REQUEST' },
    });
  }
}

function paramsOf(search: URLSearchParams): GraphQLParams {
  return {
    operationName: search.get('operationName') || undefined,
    query: search.get('query') || undefined,
    variables: jsonParam(search, 'variables'),
    extensions: jsonParam(search, 'extensions'),
  };
}

/**
 * Reads the parameters of a GET query string and of a form-encoded POST, as yoga's own parsers
 * do, except that `variables` or `extensions` that are not JSON are refused with HTTP 400 naming
 * the parameter. yoga's parsers let JSON.parse's SyntaxError through, which became an unexpected
 * error (HTTP 500, logged at error); a JSON body that is not JSON was already a 400. Registered
 * after yoga's parsers, so it replaces the one yoga chose for these two kinds of request.
 */
export function useSearchParamsParser(): Plugin {
  return {
    onRequestParse({ request, url, requestParser, setRequestParser }) {
      if (!requestParser) {
        return;
      }
      if (request.method === 'GET') {
        setRequestParser(() => paramsOf(url.searchParams));
      } else if (isFormPost(request)) {
        setRequestParser(async (form) => paramsOf(new URLSearchParams(await form.text())));
      }
    },
  };
}
