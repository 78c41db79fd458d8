import { UserError } from '../errors';
import { StringMatch, StringMatchJson } from './string-match';

/** The subset of Istio's HTTPMatchRequest that routing intent needs. */
export interface HttpMatchJson {
  uri?: StringMatchJson;
  method?: StringMatchJson;
  headers?: Record<string, StringMatchJson>;
  queryParams?: Record<string, StringMatchJson>;
}

interface Conditions {
  readonly uri?: StringMatch;
  readonly method?: StringMatch;
  readonly headers: ReadonlyMap<string, StringMatch>;
  readonly queryParams: ReadonlyMap<string, StringMatch>;
}

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Conditions a request must all meet (Istio ANDs the fields of one match).
 * Combine them with `and()`; a route that lists several RequestMatches
 * matches when any one of them does.
 */
export class RequestMatch {
  public static uriPrefix(prefix: string): RequestMatch {
    return RequestMatch.uri(StringMatch.prefix(prefix));
  }

  public static uriExact(path: string): RequestMatch {
    return RequestMatch.uri(StringMatch.exact(path));
  }

  /** A path prefix of whole segments (`/v1` takes `/v1/models`, not `/v1x`): see StringMatch.pathPrefix. */
  public static pathPrefix(prefix: string): RequestMatch {
    return RequestMatch.uri(StringMatch.pathPrefix(prefix));
  }

  public static uriRegex(pattern: string): RequestMatch {
    return RequestMatch.uri(StringMatch.regex(pattern));
  }

  public static uri(match: StringMatch): RequestMatch {
    return new RequestMatch({ uri: match, headers: new Map(), queryParams: new Map() });
  }

  /** An HTTP method, upper case as sent on the wire: `RequestMatch.method('POST')`. */
  public static method(method: string): RequestMatch {
    if (!/^[A-Z]+$/.test(method)) {
      throw new UserError(`RequestMatch.method: method must be an upper-case HTTP method such as POST, received "${method}"`);
    }
    return new RequestMatch({ method: StringMatch.exact(method), headers: new Map(), queryParams: new Map() });
  }

  /** A request header. Names are lower-cased, as Envoy sees them. */
  public static header(name: string, match: StringMatch): RequestMatch {
    const key = name.toLowerCase();
    if (!HEADER_NAME.test(key)) {
      throw new UserError(`RequestMatch.header: header name must be an HTTP token (RFC 7230), received "${name}"`);
    }
    return new RequestMatch({ headers: new Map([[key, match]]), queryParams: new Map() });
  }

  /** A cookie with an exact value, matched on the Cookie header with an RE2 regex. */
  public static cookie(name: string, value: string): RequestMatch {
    if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) {
      throw new UserError(`RequestMatch.cookie: cookie name must be an HTTP token, received "${name}"`);
    }
    const pattern = `^(.*?;\\s*)?${StringMatch.quote(name)}=${StringMatch.quote(value)}(;.*)?$`;
    return RequestMatch.header('cookie', StringMatch.regex(pattern));
  }

  public static queryParam(name: string, match: StringMatch): RequestMatch {
    if (name === '') throw new UserError('RequestMatch.queryParam: name must not be empty, received ""');
    return new RequestMatch({ headers: new Map(), queryParams: new Map([[name, match]]) });
  }

  private constructor(private readonly conditions: Conditions) {}

  /** Both sets of conditions at once. Two conditions on one attribute are a contradiction. */
  public and(other: RequestMatch): RequestMatch {
    const a = this.conditions;
    const b = other.conditions;
    if (a.uri && b.uri) throw new UserError('RequestMatch.and: a match can test the uri only once');
    if (a.method && b.method) throw new UserError('RequestMatch.and: a match can test the method only once');
    return new RequestMatch({
      uri: a.uri ?? b.uri,
      method: a.method ?? b.method,
      headers: mergeDistinct('header', a.headers, b.headers),
      queryParams: mergeDistinct('query parameter', a.queryParams, b.queryParams),
    });
  }

  /** The uri condition, if any (used to derive AuthorizationPolicy paths). */
  public get uri(): StringMatchJson | undefined {
    return this.conditions.uri?.toJson();
  }

  /** The declared prefix when the uri condition is a RequestMatch.pathPrefix (whole segments). */
  public get uriSegmentPrefix(): string | undefined {
    return this.conditions.uri?.segmentPrefix;
  }

  public toJson(): HttpMatchJson {
    const c = this.conditions;
    // Keys in the output's (sorted) order: synthesis then keeps the object as it is.
    const json: HttpMatchJson = {};
    if (c.headers.size) json.headers = toRecord(c.headers);
    if (c.method) json.method = c.method.toJson();
    if (c.queryParams.size) json.queryParams = toRecord(c.queryParams);
    if (c.uri) json.uri = c.uri.toJson();
    return json;
  }
}

function mergeDistinct(what: string, a: ReadonlyMap<string, StringMatch>, b: ReadonlyMap<string, StringMatch>) {
  const merged = new Map(a);
  for (const [key, value] of b) {
    if (merged.has(key)) throw new UserError(`RequestMatch.and: a match can test the ${what} "${key}" only once`);
    merged.set(key, value);
  }
  return merged;
}

function toRecord(map: ReadonlyMap<string, StringMatch>): Record<string, StringMatchJson> {
  const record: Record<string, StringMatchJson> = {};
  for (const key of [...map.keys()].sort()) record[key] = map.get(key)!.toJson();
  return record;
}
