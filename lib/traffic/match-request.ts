import { RequestSource } from './request';
import { RequestView } from './request-view';
import { StringMatchSpec, stringMatches } from './string-match';

/** Istio's HTTPMatchRequest as parsed from YAML (the fields routing depends on). */
export interface HttpMatchSpec {
  readonly uri?: StringMatchSpec;
  readonly scheme?: StringMatchSpec;
  readonly method?: StringMatchSpec;
  readonly authority?: StringMatchSpec;
  readonly headers?: Readonly<Record<string, StringMatchSpec>>;
  readonly withoutHeaders?: Readonly<Record<string, StringMatchSpec>>;
  readonly queryParams?: Readonly<Record<string, StringMatchSpec>>;
  readonly port?: number;
  readonly sourceLabels?: Readonly<Record<string, string>>;
  readonly sourceNamespace?: string;
  readonly gateways?: readonly string[];
  readonly ignoreUriCase?: boolean;
}

/** Where the request is evaluated: the proxy that routes it. */
export interface MatchContext {
  readonly source: RequestSource;
  /** `mesh` for a sidecar, `ns/name` for a gateway. */
  readonly binding: string;
  /** Resolves a gateway name written in this VirtualService to `ns/name`. */
  readonly resolveGateway: (name: string) => string;
  /** The VirtualService was converted from HTTPRoutes: a prefix other than `/` matches whole path segments. */
  readonly gatewaySemantics?: boolean;
}

/** All conditions of one match block hold (Istio ANDs the fields of a block). */
export function matchBlockHolds(match: HttpMatchSpec, request: RequestView, context: MatchContext): boolean {
  if (!blockFitsProxy(match, request.port, context)) return false;
  if (match.uri && !uriMatches(match.uri, request, match.ignoreUriCase ?? false, context.gatewaySemantics ?? false)) return false;
  if (match.scheme && !stringMatches(match.scheme, 'http')) return false;
  if (match.method && !stringMatches(match.method, request.method)) return false;
  if (match.authority && !stringMatches(match.authority, request.authorityHeader)) return false;
  for (const [name, condition] of Object.entries(match.headers ?? {})) {
    if (!headerMatcherHolds(name, condition, request, false)) return false;
  }
  for (const [name, condition] of Object.entries(match.withoutHeaders ?? {})) {
    if (!headerMatcherHolds(name, condition, request, true)) return false;
  }
  for (const [name, condition] of Object.entries(match.queryParams ?? {})) {
    if (!queryParamMatches(condition, request.query.get(name))) return false;
  }
  return true;
}

/**
 * The conditions Istio settles when it generates a proxy's routes, not per
 * request: the gateway, the port of the listener, the source's labels and
 * namespace. A block that does not fit is left out of that proxy's routes.
 */
export function blockFitsProxy(match: HttpMatchSpec, port: number, context: MatchContext): boolean {
  if (match.port !== undefined && match.port !== 0 && match.port !== port) return false;
  // Istio's sourceMatchHTTP: a block that names gateways is decided by them alone; its source conditions are ignored.
  if (match.gateways?.length) return match.gateways.map(context.resolveGateway).includes(context.binding);
  return sourceMatches(match, context.source);
}

/**
 * Envoy compares an exact path or a regex with `:path` less its query string,
 * and a prefix with the whole `:path`. Its `case_sensitive` (Istio's
 * ignoreUriCase) does not apply to regexes. With the Gateway API's semantics
 * Istio writes a prefix other than `/` as a path_separated_prefix: the path
 * less its query is the prefix or starts with the prefix and `/` (`/v1x` is
 * not under `/v1`).
 */
function uriMatches(match: StringMatchSpec, request: RequestView, ignoreCase: boolean, gatewaySemantics: boolean): boolean {
  if (match.prefix !== undefined && gatewaySemantics && match.prefix !== '/') {
    const prefix = match.prefix.endsWith('/') ? match.prefix.slice(0, -1) : match.prefix;
    const path = ignoreCase ? request.pathOnly.toLowerCase() : request.pathOnly;
    const wanted = ignoreCase ? prefix.toLowerCase() : prefix;
    return path === wanted || path.startsWith(`${wanted}/`);
  }
  if (match.prefix !== undefined) return stringMatches(match, request.path, ignoreCase);
  return stringMatches(match, request.pathOnly, ignoreCase && match.regex === undefined);
}

/**
 * One header condition as Envoy evaluates the matcher Istio generates for it
 * (route.go TranslateRouteMatch, Envoy's HeaderUtility::matchHeaders).
 * `withoutHeaders` inverts it, and sets treat_missing_header_as_empty on every
 * matcher but a present_match: a missing header is then "" and still
 * compared, so `withoutHeaders: {x: {regex: ".*"}}` never holds. Without
 * that flag a missing header fails the matcher, inverted or not; a present_match
 * simply asks whether the header is there.
 *
 * `@request.auth.claims.*` names a JWT claim, which Istio matches in the
 * verified token's metadata, never in a header: the requests modelled here
 * carry no verified JWT, so the claim's matcher fails, and holds inverted.
 */
function headerMatcherHolds(name: string, condition: StringMatchSpec, request: RequestView, inverted: boolean): boolean {
  if (name.startsWith('@request.auth.claims')) return inverted;
  const value = headerValue(request, name.toLowerCase());
  if (isPresenceMatch(condition)) return (value !== undefined) !== inverted;
  if (value === undefined && !inverted) return false;
  return stringMatches(condition, value ?? '') !== inverted;
}

/** A header as Envoy's matchers read it, the request's pseudo-headers included. */
function headerValue(request: RequestView, name: string): string | undefined {
  switch (name) {
    case ':authority': return request.authorityHeader;
    case ':method': return request.method;
    case ':path': return request.path;
    case ':scheme': return 'http';
    default: return request.headers.get(name);
  }
}

function queryParamMatches(condition: StringMatchSpec, value: string | undefined): boolean {
  if (value === undefined) return false;
  if (isPresenceMatch(condition)) return true;
  return stringMatches(condition, value);
}

/**
 * Istio's canBeConvertedToPresentMatch: an empty match (`{}`) and the regex
 * `*` become Envoy's present_match (any value, as long as it is there).
 */
function isPresenceMatch(condition: StringMatchSpec): boolean {
  return (condition.exact === undefined && condition.prefix === undefined && condition.regex === undefined) || condition.regex === '*';
}

function sourceMatches(match: HttpMatchSpec, source: RequestSource): boolean {
  if (match.sourceNamespace !== undefined && sourceNamespaceOf(source) !== match.sourceNamespace) return false;
  if (match.sourceLabels && Object.keys(match.sourceLabels).length) {
    // A gateway proxy's labels are its pods' (its Gateway's selector, when known).
    const labels = source.labels ?? {};
    if (!Object.entries(match.sourceLabels).every(([key, value]) => labels[key] === value)) return false;
  }
  return true;
}

/** The namespace of the proxy that sends the request (a gateway's is the Gateway's namespace). */
export function sourceNamespaceOf(source: RequestSource): string {
  return source.kind === 'sidecar' ? source.namespace : source.namespace ?? source.gateway.split('/')[0];
}
