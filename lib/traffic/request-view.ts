import { TrafficRequest } from './request';

/** A request with its parts split out as Envoy's matchers see them. */
export interface RequestView {
  readonly authority: string;
  readonly port: number;
  readonly method: string;
  /** Path with query (`:path`), without a `#fragment`: Istio's Envoy strips it on arrival. */
  readonly path: string;
  /** Path without the query string. */
  readonly pathOnly: string;
  /** Lower-cased names; several values of one header joined by ',' as Envoy does. */
  readonly headers: ReadonlyMap<string, string>;
  /** First value of each query parameter, raw as sent: Envoy's route matching decodes neither `%XX` nor `+`. */
  readonly query: ReadonlyMap<string, string>;
}

export function viewOf(request: TrafficRequest): RequestView {
  const headers = new Map<string, string>();
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    const key = name.toLowerCase();
    headers.set(key, headers.has(key) ? `${headers.get(key)},${value}` : value);
  }
  const cookies = Object.entries(request.cookies ?? {}).map(([name, value]) => `${name}=${value}`);
  if (cookies.length) headers.set('cookie', [headers.get('cookie'), ...cookies].filter((c) => c !== undefined).join('; '));
  // Istio's bootstrap turns Envoy's http_reject_path_with_fragment off: the fragment is stripped.
  const path = request.path.split('#')[0];
  const queryAt = path.indexOf('?');
  return {
    authority: request.host.toLowerCase(),
    port: request.port ?? 80,
    method: (request.method ?? 'GET').toUpperCase(),
    path,
    pathOnly: queryAt < 0 ? path : path.slice(0, queryAt),
    headers,
    query: queryParameters(queryAt < 0 ? '' : path.slice(queryAt + 1)),
  };
}

/**
 * The query as Envoy's route matching reads it (QueryParamsMulti::parseQueryString,
 * which parses without decoding): pieces between `&`, the name before the first
 * `=` and the value after it ("" without one), the first value of a repeated
 * name. `%20` stays `%20` and `+` stays `+`.
 */
function queryParameters(query: string): Map<string, string> {
  const params = new Map<string, string>();
  if (query === '') return params;
  for (const piece of query.split('&')) {
    const equals = piece.indexOf('=');
    const name = equals < 0 ? piece : piece.slice(0, equals);
    if (!params.has(name)) params.set(name, equals < 0 ? '' : piece.slice(equals + 1));
  }
  return params;
}
