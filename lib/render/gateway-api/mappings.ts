/**
 * What each declared option becomes in the Gateway API output, read back by
 * Istio 1.30 (pilot/pkg/config/kube/gateway, conversion.go): the one place
 * that says it. Synth's loss report quotes the refusals; docs/reference.md
 * holds this table as `gatewayApiMappingTable()` renders it (a test keeps
 * them equal).
 */
export interface GatewayApiMapping {
  /** The option as a user declares it. */
  readonly option: string;
  /** `maps`: written as the Gateway API; `unchanged`: the same Istio object as before; `refused`: synth names it as a loss. */
  readonly outcome: 'maps' | 'unchanged' | 'refused';
  /** What the output writes, or why nothing equivalent exists on Istio. */
  readonly output: string;
}

export const GATEWAY_API_MAPPINGS = {
  host: { option: 'host', outcome: 'maps', output: 'parentRef `{group: "", kind: Service, name}` (GAMMA); a host that names no Kubernetes Service of the namespace (a ServiceEntry host) is refused: a Service parent needs one' },
  namespace: { option: 'namespace', outcome: 'maps', output: 'metadata.namespace of every object' },
  port: { option: 'port', outcome: 'maps', output: 'the Service parentRef\'s `port` (Istio then matches that port only), the per-version Services\' port and every backendRef\'s port; unset: a parentRef without port and per-version Services on port 80' },
  targetPort: { option: 'targetPort', outcome: 'maps', output: 'the per-version Services\' `targetPort`; required: without it the library would have to guess the pod port' },
  versions: { option: 'versions, versionLabelKey, versions[].labels', outcome: 'maps', output: 'one Service `<service>-<version>` per version selecting workloadLabels plus the version\'s labels; backendRefs name these Services' },
  workloadLabels: { option: 'workloadLabels', outcome: 'maps', output: 'the per-version Services\' selector (plus each version\'s labels); unset: `app: <service>`, so a per-version Service never selects another service\'s pods (pods without that label get no traffic: declare workloadLabels); also the security objects\' selector, as before' },
  idle: { option: 'versions[].idle', outcome: 'maps', output: 'its Service stays, no rule routes to it' },
  versionPolicy: { option: 'loadBalancing, warmup, outlierDetection, connectionPool, clientTls, versions[].trafficPolicy', outcome: 'maps', output: 'a DestinationRule `<service>-<version>` for the per-version host, with the version\'s effective policy (no subsets); none where nothing is declared. HashKey.cookie stays a consistent hash there: the Gateway API\'s sessionPersistence is not used, since Istio does not implement it' },
  strictMtls: { option: 'strictMtls', outcome: 'unchanged', output: 'PeerAuthentication' },
  allowedCallers: { option: 'allowedCallers', outcome: 'unchanged', output: 'AuthorizationPolicy' },
  exposureMesh: { option: 'Exposure.mesh(), Exposure.ingress({ mesh: true })', outcome: 'maps', output: 'HTTPRoute `<service>` with the Service parentRef: in-mesh callers' },
  exposureIngress: { option: 'Exposure.ingress({ gateway, hosts })', outcome: 'maps', output: 'HTTPRoute `<service>-ingress` with a parentRef to the Kubernetes Gateway (gateway.networking.k8s.io) of the same `namespace/name` and `hostnames: hosts`; that Gateway must allow routes from the service\'s namespace. The mesh host is not among its hostnames (the VirtualService lists it, but a gateway serves only the hosts it declares). In-mesh callers that name an external host are no longer routed inside the mesh, as the VirtualService bound to mesh and gateway did: the request goes to that name (the ingress gateway), and the migration diff names these requests' },
  testRules: { option: 'test rules (Strategy.blueGreen preview), testRulesFromGateways', outcome: 'maps', output: 'kept out of `<service>-ingress` unless testRulesFromGateways: in-mesh callers only, as before' },
  routeName: { option: 'routes[].name', outcome: 'maps', output: 'rules[].name, `<route>` or `<route>-<suffix>`, the same names as the VirtualService\'s rules' },
  routeOrder: { option: 'routes (declaration order)', outcome: 'refused', output: 'the Gateway API orders rules by precedence (exact path, longest prefix, regex, then method, most headers, most query parameters), not as declared: where a later rule would take requests an earlier one takes (a narrower route declared later; a regex path, which every prefix, `/` included, precedes), synth refuses instead of routing differently' },
  tooManyRules: { option: 'more than 16 rules', outcome: 'refused', output: 'an HTTPRoute holds at most 16 rules; several HTTPRoutes for one Service would be ordered by creation time' },
  uriExact: { option: 'RequestMatch.uriExact', outcome: 'maps', output: 'path `Exact`' },
  uriPrefixRoot: { option: 'RequestMatch.uriPrefix(\'/\'), no uri', outcome: 'maps', output: 'path `PathPrefix /`, written out (the API server\'s default, explicit)' },
  pathPrefix: { option: 'RequestMatch.pathPrefix', outcome: 'maps', output: 'path `PathPrefix`: whole path segments in both APIs (the VirtualService gets the regex `<prefix>(/.*)?`)' },
  uriPrefix: { option: 'RequestMatch.uriPrefix (other than \'/\')', outcome: 'refused', output: 'a VirtualService prefix matches characters (`/predict` takes `/predictions`), PathPrefix whole segments; a regex would rank below every prefix' },
  uriRegex: { option: 'RequestMatch.uriRegex', outcome: 'maps', output: 'path `RegularExpression` (RE2, as Envoy matches); ranked below every prefix, which the order check holds' },
  method: { option: 'RequestMatch.method', outcome: 'maps', output: '`method`; only the nine methods the Gateway API lists (GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE, PATCH), others are refused' },
  headers: { option: 'RequestMatch.header, RequestMatch.cookie, RequestMatch.queryParam', outcome: 'maps', output: '`headers` / `queryParams`: exact as `Exact`, regex as `RegularExpression`, a prefix as the regex `<prefix>.*`' },
  emptyMatchValue: { option: 'RequestMatch.header, RequestMatch.queryParam with an empty exact value or regex', outcome: 'refused', output: 'the Gateway API\'s header and query values need at least one character (the CRD\'s minLength); an empty exact value, which takes a header present and empty, has no equivalent' },
  weights: { option: 'Strategy.to, Strategy.canary, Strategy.progressive, Strategy.abTest', outcome: 'maps', output: 'backendRefs with weights, one rule per variant' },
  mirror: { option: 'Strategy.shadow', outcome: 'maps', output: 'one `RequestMirror` filter per mirrored version, `percent` (whole) or `fraction` (otherwise)' },
  sticky: { option: 'Strategy.stickyCanary', outcome: 'maps', output: 'cookie rules (header regex) and a `ResponseHeaderModifier` adding Set-Cookie on each backendRef' },
  timeout: { option: 'timeout, routes[].timeout, noTimeout', outcome: 'maps', output: '`timeouts.request`' },
  retriesDefault: { option: 'retries: RetryPolicy.inferenceSafe() (the default: 2 retries, no per-try timeout, no status codes)', outcome: 'maps', output: 'no `retry`: Istio\'s own default policy, 2 retries of connect-failure, refused-stream, unavailable, cancelled and retriable-status-codes (standard channel). It retries more than the VirtualService\'s connect-failure, refused-stream: gRPC `unavailable` and `cancelled` answers, and the status codes a caller lists in `x-envoy-retriable-status-codes`; the migration diff names these requests' },
  retries: { option: 'retries: any other RetryPolicy', outcome: 'maps', output: '`retry: { attempts, codes }`, an experimental-channel field: synth refuses it unless `RoutingApp({ gatewayApiChannel: \'experimental\' })` says the cluster has that channel\'s CRDs. Istio retries connect-failure, refused-stream, unavailable and cancelled whenever a rule retries, listed or not (the migration diff names the requests this widens)' },
  perTryTimeout: { option: 'RetryPolicy perTryTimeout', outcome: 'refused', output: 'Istio reads `timeouts.backendRequest` as the per-try timeout, but retries a timed-out try only on gateway-error or 5xx, which an HTTPRoute `retry` cannot name: the request would end at the first try\'s timeout' },
  retryOn: { option: 'RetryOn conditions other than CONNECT_FAILURE, REFUSED_STREAM, UNAVAILABLE, CANCELLED, RETRIABLE_STATUS_CODES', outcome: 'refused', output: 'HTTPRoute `retry` has status codes only; Istio\'s conversion always retries connect-failure, refused-stream, unavailable and cancelled and nothing else' },
  retryCodes: { option: 'RetryPolicy statusCodes below 400', outcome: 'refused', output: 'HTTPRoute `retry.codes` accepts 400 to 599' },
  rewrite: { option: 'rewrite on exact paths', outcome: 'maps', output: '`URLRewrite` with `ReplaceFullPath`' },
  rewritePrefix: { option: 'rewrite on a prefix, regex or no path', outcome: 'refused', output: 'the VirtualService replaces the matched prefix by characters; ReplacePrefixMatch replaces whole segments and needs a PathPrefix' },
  fault: { option: 'routes[].fault (FaultInjection)', outcome: 'refused', output: 'the Gateway API has no fault injection' },
  routePort: { option: 'routes[].port other than the service\'s port', outcome: 'refused', output: 'per-route ports need one targetPort per port; not written yet' },
} as const satisfies Record<string, GatewayApiMapping>;

export type GatewayApiMappingId = keyof typeof GATEWAY_API_MAPPINGS;

/** The table as docs/reference.md holds it. */
export function gatewayApiMappingTable(): string {
  const rows = Object.values(GATEWAY_API_MAPPINGS).map((m: GatewayApiMapping) => `| ${m.option} | ${m.outcome} | ${m.output.replace(/\|/g, '\\|')} |`);
  return ['| Declared | Outcome | Gateway API output on Istio |', '| --- | --- | --- |', ...rows].join('\n');
}
