import { TrafficRequest } from './request';

/** A request with its parts split out as Envoy's matchers see them. */
export interface RequestView {
  readonly authority: string;
  readonly port: number;
  readonly method: string;
  /** Path with query, as sent (`:path`). */
  readonly path: string;
  /** Path without the query string. */
  readonly pathOnly: string;
  /** Lower-cased names; several values of one header joined by ',' as Envoy does. */
  readonly headers: ReadonlyMap<string, string>;
  /** First value of each query parameter, percent-decoded. */
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
  const queryAt = request.path.indexOf('?');
  const pathOnly = queryAt < 0 ? request.path : request.path.slice(0, queryAt);
  return {
    authority: request.host.toLowerCase(),
    port: request.port ?? 80,
    method: (request.method ?? 'GET').toUpperCase(),
    path: request.path,
    pathOnly,
    headers,
    query: parseQuery(queryAt < 0 ? '' : request.path.slice(queryAt + 1)),
  };
}

function parseQuery(query: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(query)) if (!params.has(name)) params.set(name, value);
  return params;
}
