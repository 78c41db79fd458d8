import { ProbeRequest } from './declaration';

/**
 * A request as Envoy's route matchers see it: header names are
 * case-insensitive (repeated headers joined by ","), the query string is
 * compared raw (never percent-decoded), first value of each parameter.
 */
export interface RequestFacts {
  readonly request: ProbeRequest;
  /** `:path`, query included. */
  readonly path: string;
  /** The path without its query string. */
  readonly pathOnly: string;
  readonly header: (name: string) => string | undefined;
  readonly queryParam: (name: string) => string | undefined;
  /** Whether the Cookie header carries exactly `name=value` as one of its pairs. */
  readonly hasCookie: (name: string, value: string) => boolean;
}

export function factsOf(request: ProbeRequest): RequestFacts {
  const headers = new Map<string, string>();
  for (const [name, value] of Object.entries(request.headers)) {
    const key = name.toLowerCase();
    headers.set(key, headers.has(key) ? `${headers.get(key)},${value}` : value);
  }
  const queryAt = request.path.indexOf('?');
  const pathOnly = queryAt < 0 ? request.path : request.path.slice(0, queryAt);
  const query = new Map<string, string>();
  if (queryAt >= 0) {
    for (const pair of request.path.slice(queryAt + 1).split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      if (!query.has(name)) query.set(name, eq < 0 ? '' : pair.slice(eq + 1));
    }
  }
  // Pairs after the first may follow "; " or ";" (RFC 6265 and lenient clients alike).
  const cookies = (headers.get('cookie') ?? '').split(';').map((pair, i) => (i === 0 ? pair : pair.replace(/^[\t\n\f\r ]+/, '')));
  return {
    request,
    path: request.path,
    pathOnly,
    header: (name) => headers.get(name.toLowerCase()),
    queryParam: (name) => query.get(name),
    hasCookie: (name, value) => headers.has('cookie') && cookies.includes(`${name}=${value}`),
  };
}
