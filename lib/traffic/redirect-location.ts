import { RequestView } from './request-view';
import { HttpRuleSpec } from './specs';

type Redirect = NonNullable<HttpRuleSpec['redirect']>;

const PREFIX_MARKER = '%PREFIX()%';

/**
 * The Location of a redirect, as Istio writes the Envoy RedirectAction
 * (route.go ApplyRedirect) and Envoy builds the URI (RouteEntryImplBase::newUri)
 * for a plain-text HTTP request on `listenerPort`:
 * - scheme: the redirect's, else the request's (`http`);
 * - port: the redirect's, or the listener's when it derives it from the
 *   request, left out when it is the scheme's default (80 for http, 443 for https);
 * - host: the redirect's authority, else the Host header, less its port when
 *   a port is set or the scheme changes from that port's default;
 * - path: the redirect's uri, or (the Gateway API's ReplacePrefixMatch,
 *   `%PREFIX()%` on routes converted from HTTPRoutes) the matched prefix
 *   replaced; else the request's; the query is kept.
 */
export function redirectLocation(redirect: Redirect, request: RequestView, listenerPort: number, matchedUri: { prefix?: string } | undefined, gatewaySemantics: boolean): string {
  const scheme = redirect.scheme ?? 'http';
  const port = redirectPort(redirect, listenerPort, scheme);
  const host = redirect.authority ?? requestHost(request.authorityHeader, scheme, port !== undefined);
  const query = request.path.slice(request.pathOnly.length);
  let path = request.path;
  if (gatewaySemantics && redirect.uri?.startsWith(PREFIX_MARKER)) {
    const replacement = redirect.uri.slice(PREFIX_MARKER.length);
    // Envoy's prefix_rewrite swaps the matched prefix; a path matched whole (exact) is swapped whole.
    const rest = matchedUri?.prefix !== undefined ? request.pathOnly.slice(matchedUri.prefix.length) : '';
    path = `${replacement}${rest}${query}`;
  } else if (redirect.uri) {
    path = redirect.uri.includes('?') ? redirect.uri : `${redirect.uri}${query}`;
  }
  return `${scheme}://${host}${port !== undefined ? `:${port}` : ''}${path}`;
}

/** Istio's port_redirect: the redirect's port, or the listener's for FROM_REQUEST_PORT; none when it is the scheme's default. */
function redirectPort(redirect: Redirect, listenerPort: number, scheme: string): number | undefined {
  const port = redirect.port ?? (redirect.derivePort === 'FROM_REQUEST_PORT' ? listenerPort : undefined);
  if (port === undefined || port === 0) return undefined;
  if ((port === 80 && scheme === 'http') || (port === 443 && scheme === 'https')) return undefined;
  return port;
}

/** Envoy's processRequestHost: the Host header, less its port when a port is set, or when the scheme leaves that port's default. */
function requestHost(hostHeader: string, scheme: string, portSet: boolean): string {
  const at = hostHeader.startsWith('[') ? hostHeader.lastIndexOf(']:') + 1 : hostHeader.lastIndexOf(':');
  if (at <= 0) return hostHeader;
  const port = hostHeader.slice(at);
  const schemeChanged = scheme !== 'http';
  return portSet || (schemeChanged && port === ':80') ? hostHeader.slice(0, at) : hostHeader;
}
