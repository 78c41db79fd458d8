import { diagnosticsOf, expectDiagnostic, httpRule, routeTo, virtualService, type InvalidCase } from '../test-fixtures';

const RE2_HINT = 'Istio uses RE2 style regex-based match (https://github.com/google/re2/wiki/Syntax)';

const topLevelCases: InvalidCase[] = [
  ['empty host', virtualService({ hosts: [''], ...routes() }), { path: 'spec.hosts[0]', message: 'empty domain name not allowed' }],
  ['host over 255 characters', virtualService({ hosts: [`${'a'.repeat(60)}.`.repeat(5)], ...routes() }), { path: 'spec.hosts[0]', message: `domain name "${`${'a'.repeat(60)}.`.repeat(5)}" too long (max 255)` }],
  ['host label with underscore', virtualService({ hosts: ['foo_bar.com'], ...routes() }), { path: 'spec.hosts[0]', message: 'domain name "foo_bar.com" invalid (label "foo_bar" invalid)' }],
  // Istio checks the labels after the first one, and names only those in the message.
  ['all-numeric top level domain', virtualService({ hosts: ['foo.123'], ...routes() }), { path: 'spec.hosts[0]', message: 'domain name "123" invalid (top level domain "123" cannot be all-numeric)' }],
  ['ns/host form', virtualService({ hosts: ['default/reviews'], ...routes() }), { path: 'spec.hosts[0]', message: 'domain name "default/reviews" invalid (label "default/reviews" invalid)' }],
  ['* host on the mesh', virtualService({ hosts: ['*'], ...routes() }), { path: 'spec.hosts[0]', message: 'wildcard host * is not allowed for virtual services bound to the mesh gateway' }],
  ['hosts that match each other', virtualService({ hosts: ['*.x.com', 'a.x.com'], ...routes('a.x.com') }), { path: 'spec.hosts[1]', message: 'duplicate hosts in virtual service: *.x.com & a.x.com' }],
  ['delegate with gateways', virtualService({ gateways: ['istio-system/gw'], ...routes() }), { path: 'spec.gateways', message: 'delegate virtual service must have no gateways specified' }],
  ['delegate with tcp', virtualService({ tcp: [routeTo()] }), { path: 'spec.tcp', message: 'delegate virtual service must have no tcp route specified' }],
  ['no routes', virtualService({ hosts: ['reviews'] }), { path: 'spec', message: 'http, tcp or tls must be provided in virtual service' }],
  // istiod decodes a null rule as an empty one (the API server rejects the null itself).
  ['null http rule', virtualService({ hosts: ['reviews'], http: [null] }), { path: 'spec.http[0]', message: 'HTTP route, redirect or direct_response is required' }],
  ['gateway namespace not a label', virtualService({ hosts: ['reviews'], gateways: ['Bad_NS/gw'], ...routes() }), { path: 'spec.gateways[0]', message: 'invalid value for namespace: "Bad_NS"' }],
  ['gateway with empty name', virtualService({ hosts: ['reviews'], gateways: ['istio-system/'], ...routes() }), { path: 'spec.gateways[0]', message: 'config namespace and gateway name cannot be empty' }],
  ['legacy gateway name', virtualService({ hosts: ['reviews'], gateways: ['gw.istio-system'], ...routes() }), { path: 'spec.gateways[0]', severity: 'warning', code: 'IST0133', message: 'using legacy gatewayName format "gw.istio-system"; prefer the <namespace>/<name> format: "istio-system/gw"' }],
  ['JWT claim routing on the mesh', httpRule({ match: [{ headers: { '@request.auth.claims.group': { exact: 'a' } } }], ...routeTo() }), { path: 'spec.http[0].match[0].headers["@request.auth.claims.group"]', message: 'JWT claim based routing (key: @request.auth.claims.group) is only supported for gateway, found no gateways: []' }],
  ['exportTo ~', virtualService({ hosts: ['reviews'], exportTo: ['~'], ...routes() }), { path: 'spec.exportTo', message: 'exportTo ~ (none) is not allowed for Istio configuration objects' }],
  ['exportTo not a label', virtualService({ hosts: ['reviews'], exportTo: ['Bad_NS'], ...routes() }), { path: 'spec.exportTo', message: 'only .,*, or a valid DNS 1123 label is allowed as exportTo entry' }],
  ['exportTo own namespace then .', virtualService({ hosts: ['reviews'], exportTo: ['default', '.'], ...routes() }), { path: 'spec.exportTo', message: 'duplicate entries in exportTo: . and current namespace default' }],
  ['exportTo . then own namespace', virtualService({ hosts: ['reviews'], exportTo: ['.', 'default'], ...routes() }), { path: 'spec.exportTo', message: 'duplicate entries in exportTo for entry default' }],
  ['exportTo duplicate', virtualService({ hosts: ['reviews'], exportTo: ['a', 'a'], ...routes() }), { path: 'spec.exportTo', message: 'duplicate entries in exportTo for entry a' }],
  ['exportTo * with others', virtualService({ hosts: ['reviews'], exportTo: ['*', 'a'], ...routes() }), { path: 'spec.exportTo', message: 'cannot have both public (*) and non-public exportTo values for a resource' }],
];

const actionCases: InvalidCase[] = [
  ['no route, redirect or directResponse', httpRule({ name: 'empty' }), { path: 'spec.http[0]', message: 'HTTP route, redirect or direct_response is required' }],
  ['route and redirect', httpRule({ ...routeTo(), redirect: { uri: '/x' } }), { path: 'spec.http[0]', message: 'HTTP route cannot contain both route and redirect' }],
  ['route and directResponse', httpRule({ ...routeTo(), directResponse: { status: 503 } }), { path: 'spec.http[0]', message: 'HTTP route cannot contain both route and direct_response' }],
  ['redirect and directResponse', httpRule({ redirect: { uri: '/x' }, directResponse: { status: 503 } }), { path: 'spec.http[0]', message: 'HTTP route rule cannot contain both direct_response and redirect' }],
  ['fault and redirect', httpRule({ redirect: { uri: '/x' }, fault: { abort: { httpStatus: 503 } } }), { path: 'spec.http[0]', message: 'HTTP route cannot contain both fault and redirect' }],
  ['rewrite and redirect', httpRule({ redirect: { uri: '/x' }, rewrite: { uri: '/y' } }), { path: 'spec.http[0]', message: 'HTTP route rule cannot contain both rewrite and redirect' }],
  ['rewrite and directResponse', httpRule({ directResponse: { status: 503 }, rewrite: { uri: '/y' } }), { path: 'spec.http[0]', message: 'HTTP route rule cannot contain both rewrite and direct_response' }],
  ['mirror and mirrors', httpRule({ ...routeTo(), mirror: { host: 'shadow' }, mirrors: [{ destination: { host: 'shadow' } }] }), { path: 'spec.http[0]', message: 'HTTP route cannot contain both mirror and mirrors' }],
  ['root rule with route', httpRule({ name: 'api', delegate: { name: 'api-routes' }, ...routeTo() }), { path: 'spec.http[0]', message: 'root HTTP route api must not specify route' }],
  ['delegate rule that delegates', virtualService({ http: [{ delegate: { name: 'deeper' } }] }), { path: 'spec.http[0]', message: 'delegate HTTP route cannot contain delegate' }],
];

const matchCases: InvalidCase[] = [
  ['uri regex with lookahead', httpRule({ match: [{ uri: { regex: '^/(?=v1)' } }], ...routeTo() }), { path: 'spec.http[0].match[0].uri', message: `"uri": error parsing regexp: invalid or unsupported Perl syntax: \`(?=\`; ${RE2_HINT}` }],
  ['uri regex with backreference', httpRule({ match: [{ uri: { regex: '(a)\\1' } }], ...routeTo() }), { path: 'spec.http[0].match[0].uri', message: `"uri": error parsing regexp: invalid escape sequence: \`\\1\`; ${RE2_HINT}` }],
  ['empty uri regex', httpRule({ match: [{ uri: { regex: '' } }], ...routeTo() }), { path: 'spec.http[0].match[0].uri', message: '"uri": regex string match should not be empty' }],
  ['uri regex over 1024 characters', httpRule({ match: [{ uri: { regex: 'a'.repeat(1025) } }], ...routeTo() }), { path: 'spec.http[0].match[0].uri', message: '"uri": regex is too large, max length allowed is 1024' }],
  ['empty scheme prefix', httpRule({ match: [{ scheme: { prefix: '' } }], ...routeTo() }), { path: 'spec.http[0].match[0].scheme', message: '"scheme": prefix string match should not be empty' }],
  ['header regex not RE2', httpRule({ match: [{ headers: { 'x-model': { regex: '[a' } } }], ...routeTo() }), { path: 'spec.http[0].match[0].headers["x-model"]', message: `"headers": error parsing regexp: missing closing ]: \`[a\`; ${RE2_HINT}` }],
  ['queryParams regex not RE2', httpRule({ match: [{ queryParams: { v: { regex: 'a**' } } }], ...routeTo() }), { path: 'spec.http[0].match[0].queryParams.v', message: `"queryParams": error parsing regexp: invalid nested repetition operator: \`**\`; ${RE2_HINT}` }],
  ['header name with space', httpRule({ match: [{ headers: { 'x user': { exact: 'a' } } }], ...routeTo() }), { path: 'spec.http[0].match[0].headers["x user"]', message: 'header name x user is not a valid header name' }],
  ['match port out of range', httpRule({ match: [{ port: 70000 }], ...routeTo() }), { path: 'spec.http[0].match[0].port', message: 'port number 70000 must be in the range 1..65535' }],
  ['sourceLabels key', httpRule({ match: [{ sourceLabels: { 'bad key': 'a' } }], ...routeTo() }), { path: 'spec.http[0].match[0].sourceLabels["bad key"]', message: 'invalid tag key: "bad key"' }],
  ['sourceLabels value', httpRule({ match: [{ sourceLabels: { app: 'a b' } }], ...routeTo() }), { path: 'spec.http[0].match[0].sourceLabels.app', message: 'invalid tag value: "a b"' }],
  ['sourceNamespace not a label', httpRule({ match: [{ sourceNamespace: 'Bad_NS' }], ...routeTo() }), { path: 'spec.http[0].match[0].sourceNamespace', message: 'sourceNamespace match Bad_NS is invalid' }],
  // Istio 1.30 allows regex matches in a delegate VirtualService, but checks them as RE2 like any other.
  ['RE2 in a delegate match', virtualService({ http: [{ match: [{ uri: { regex: '^/(?=v1)' } }], ...routeTo() }] }), { path: 'spec.http[0].match[0].uri', message: `"uri": error parsing regexp: invalid or unsupported Perl syntax: \`(?=\`; ${RE2_HINT}` }],
];

const destinationCases: InvalidCase[] = [
  ['route entry without destination', httpRule({ route: [{ weight: 100 }] }), { path: 'spec.http[0].route[0].destination', message: 'destination is required' }],
  ['destination host *', httpRule(routeTo('*')), { path: 'spec.http[0].route[0].destination.host', message: 'invalid destination host *' }],
  ['destination host ns/host', httpRule(routeTo('default/reviews')), { path: 'spec.http[0].route[0].destination.host', message: 'domain name "default/reviews" invalid (label "default/reviews" invalid)' }],
  ['subset with underscore', httpRule({ route: [{ destination: { host: 'reviews', subset: 'v_1' } }] }), { path: 'spec.http[0].route[0].destination.subset', message: 'subset name is invalid: v_1' }],
  ['port without number', httpRule({ route: [{ destination: { host: 'reviews', port: {} } }] }), { path: 'spec.http[0].route[0].destination.port.number', message: 'port number 0 must be in the range 1..65535' }],
  ['negative weight', httpRule({ route: [{ destination: { host: 'reviews' }, weight: -1 }] }), { path: 'spec.http[0].route[0].weight', message: 'weight -1 < 0' }],
  ['all weights zero', httpRule({ route: [{ destination: { host: 'a' } }, { destination: { host: 'b' } }] }), { path: 'spec.http[0].route', message: 'total destination weight = 0' }],
  ['request set of a pseudo-header', httpRule({ ...routeTo(), headers: { request: { set: { ':path': '/x' } } } }), { path: 'spec.http[0].headers.request.set[":path"]', message: 'invalid header ":path": header cannot have ":" prefix' }],
  ['response set of Host', httpRule({ ...routeTo(), headers: { response: { set: { Host: 'x' } } } }), { path: 'spec.http[0].headers.response.set.Host', message: 'invalid header "Host": cannot set Host header' }],
  ['per-destination header with empty name', httpRule({ route: [{ destination: { host: 'reviews' }, headers: { request: { add: { '': 'x' } } } }] }), { path: 'spec.http[0].route[0].headers.request.add[""]', message: 'header name cannot be empty' }],
  ['unterminated header variable', httpRule({ ...routeTo(), headers: { request: { set: { 'x-id': '%bad' } } } }), { path: 'spec.http[0].headers.request.set["x-id"]', message: "header value configuration: invalid header configuration. Un-terminated variable expression '%bad'" }],
  ['trailing unescaped %', httpRule({ ...routeTo(), headers: { request: { set: { 'x-pct': '100%' } } } }), { path: 'spec.http[0].headers.request.set["x-pct"]', message: 'header value configuration: invalid header configuration. Un-escaped %' }],
  ['authority set twice', httpRule({ ...routeTo(), rewrite: { authority: 'a' }, headers: { request: { set: { Host: 'b' } } } }), { path: 'spec.http[0].headers', message: 'authority header cannot be set multiple times: have "a", attempting to set "b"' }],
];

const policyCases: InvalidCase[] = [
  ['mirrorPercentage over 100', httpRule({ ...routeTo(), mirror: { host: 'shadow' }, mirrorPercentage: { value: 150 } }), { path: 'spec.http[0].mirrorPercentage.value', message: 'mirror_percentage must have a max value of 100 (it has 150.000000)' }],
  ['mirrors percentage below 0', httpRule({ ...routeTo(), mirrors: [{ destination: { host: 'shadow' }, percentage: { value: -1 } }] }), { path: 'spec.http[0].mirrors[0].percentage.value', message: 'mirror percentage must have a min value of 0 (it has -1.000000)' }],
  ['mirror destination subset', httpRule({ ...routeTo(), mirror: { host: 'shadow', subset: 'V_2' } }), { path: 'spec.http[0].mirror.subset', message: 'subset name is invalid: V_2' }],
  ['empty redirect', httpRule({ redirect: {} }), { path: 'spec.http[0].redirect', message: 'redirect must specify URI, authority, scheme, or port' }],
  ['redirect code not 3xx', httpRule({ redirect: { uri: '/x', redirectCode: 200 } }), { path: 'spec.http[0].redirect', message: '200 is not a valid redirect code, must be 3xx' }],
  ['redirect scheme ftp', httpRule({ redirect: { scheme: 'ftp' } }), { path: 'spec.http[0].redirect', message: 'invalid redirect scheme, must be "http" or "https"' }],
  ['directResponse status 700', httpRule({ directResponse: { status: 700 } }), { path: 'spec.http[0].directResponse.status', message: 'HTTP status 700 is not in range 200-599' }],
  ['empty rewrite', httpRule({ ...routeTo(), rewrite: {} }), { path: 'spec.http[0].rewrite', message: 'rewrite must specify at least one of URI, UriRegexRewrite, or authority. Only one of URI or UriRegexRewrite may be specified' }],
  ['rewrite uri and uriRegexRewrite', httpRule({ ...routeTo(), rewrite: { uri: '/a', uriRegexRewrite: { match: '^/b', rewrite: '/c' } } }), { path: 'spec.http[0].rewrite', message: 'rewrite may only contain one of URI or UriRegexRewrite' }],
  ['negative retry attempts', httpRule({ ...routeTo(), retries: { attempts: -1 } }), { path: 'spec.http[0].retries.attempts', message: 'attempts cannot be negative' }],
  ['retry policy with 0 attempts', httpRule({ ...routeTo(), retries: { attempts: 0, perTryTimeout: '1s' } }), { path: 'spec.http[0].retries.attempts', message: 'http retry policy configured when attempts are set to 0 (disabled)' }],
  ['unknown retryOn', httpRule({ ...routeTo(), retries: { attempts: 2, retryOn: '5xx,bogus' } }), { path: 'spec.http[0].retries.retryOn', message: '"bogus" is not a valid retryOn policy' }],
  ['retryOn with a space', httpRule({ ...routeTo(), retries: { attempts: 2, retryOn: '5xx, reset' } }), { path: 'spec.http[0].retries.retryOn', message: '" reset" is not a valid retryOn policy' }],
  ['retryOn status Go does not know', httpRule({ ...routeTo(), retries: { attempts: 2, retryOn: '599' } }), { path: 'spec.http[0].retries.retryOn', message: '"599" is not a valid retryOn policy' }],
  ['timeout under 1ms (webhook)', httpRule({ ...routeTo(), timeout: '0.5ms' }), { path: 'spec.http[0].timeout', message: 'duration must be greater than 1ms' }],
  ['timeout finer than 1ms', httpRule({ ...routeTo(), timeout: '1.5ms' }), { path: 'spec.http[0].timeout', message: 'only durations to ms precision are supported' }],
  ['empty fault', httpRule({ ...routeTo(), fault: {} }), { path: 'spec.http[0].fault', message: 'HTTP fault injection must have an abort and/or a delay' }],
  ['fault percentage too small', httpRule({ ...routeTo(), fault: { abort: { httpStatus: 503, percentage: { value: 0.00001 } } } }), { path: 'spec.http[0].fault.abort.percentage.value', message: 'percentage 1e-05 is neither 0.0, nor in range [0.0001, 100.0]' }],
  ['fault grpc status lower case', httpRule({ ...routeTo(), fault: { abort: { grpcStatus: 'not_found' } } }), { path: 'spec.http[0].fault.abort.grpcStatus', message: `gRPC status "not_found" is not supported. See https://github.com/grpc/grpc/blob/master/doc/statuscodes.md for a list of supported codes, for example 'NOT_FOUND'` }],
  ['fault http2Error', httpRule({ ...routeTo(), fault: { abort: { http2Error: 'x' } } }), { path: 'spec.http[0].fault.abort.http2Error', message: 'HTTP/2 abort fault injection not supported yet' }],
  ['fault abort status 100', httpRule({ ...routeTo(), fault: { abort: { httpStatus: 100 } } }), { path: 'spec.http[0].fault.abort.httpStatus', message: 'HTTP status 100 is not in range 200-599' }],
  ['CORS lower-case method', httpRule({ ...routeTo(), corsPolicy: { allowMethods: ['get'] } }), { path: 'spec.http[0].corsPolicy.allowMethods[0]', message: '"get" is not a supported HTTP method' }],
  ['CORS empty origin', httpRule({ ...routeTo(), corsPolicy: { allowOrigins: [{ exact: '' }] } }), { path: 'spec.http[0].corsPolicy.allowOrigins[0]', message: "'' is not a valid match type for CORS allow origins" }],
  ['CORS maxAge below a second', httpRule({ ...routeTo(), corsPolicy: { maxAge: '1500ms' } }), { path: 'spec.http[0].corsPolicy.maxAge', message: 'max_age duration is accurate only to seconds precision' }],
];

const l4Cases: InvalidCase[] = [
  ['tcp rule without route', virtualService({ hosts: ['db'], tcp: [{ match: [{ port: 3306 }] }] }), { path: 'spec.tcp[0]', message: 'TCP route is required' }],
  ['tcp destinationSubnets not a CIDR', virtualService({ hosts: ['db'], tcp: [{ match: [{ destinationSubnets: ['10.0.0.0/33'] }], ...routeTo('db') }] }), { path: 'spec.tcp[0].match[0].destinationSubnets[0]', message: '10.0.0.0/33 is not a valid CIDR block' }],
  // istiod decodes null entries as empty messages: an empty tls rule lacks both match and route.
  ['null tls rule', virtualService({ hosts: ['a.com'], tls: [null] }), { path: 'spec.tls[0]', message: 'TLS route is required' }],
  ['null route entry', httpRule({ route: [null] }), { path: 'spec.http[0].route[0].destination', message: 'destination is required' }],
  ['tls rule without match', virtualService({ hosts: ['a.com'], tls: [routeTo('a.com')] }), { path: 'spec.tls[0]', message: 'TLS route must have at least one match condition' }],
  ['tls sniHost outside the hosts', virtualService({ hosts: ['a.com'], tls: [{ match: [{ sniHosts: ['b.com'] }], ...routeTo('a.com') }] }), { path: 'spec.tls[0].match[0].sniHosts[0]', message: 'SNI host "b.com" is not a compatible subset of any of the virtual service hosts: [a.com]' }],
];

const reachabilityCases: InvalidCase[] = [
  ['rule after a catch-all', virtualService({ hosts: ['reviews'], http: [routeTo(), { match: [{ uri: { prefix: '/a' } }], ...routeTo() }] }), { path: 'spec.http[1]', severity: 'warning', code: 'IST0130', message: 'virtualService rule #1 not used (route without matches defined before)' }],
  ['two catch-all rules', virtualService({ hosts: ['reviews'], http: [routeTo(), routeTo()] }), { path: 'spec.http[1]', severity: 'warning', code: 'IST0130', message: 'virtualService rule #1 not used (only the last rule can have no matches)' }],
  ['duplicate match', virtualService({ hosts: ['reviews'], http: [{ match: [{ uri: { exact: '/a' } }], ...routeTo() }, { match: [{ name: 'again', uri: { exact: '/a' } }], ...routeTo() }, routeTo()] }), { path: 'spec.http[1].match[0]', severity: 'info', code: 'IST0131', message: 'virtualService rule #1 match "again" is not used (duplicate/overlapping match in rule #0)' }],
  ['prefix shadowed by a shorter prefix', virtualService({ hosts: ['reviews'], http: [{ name: 'a', match: [{ uri: { prefix: '/api' } }], ...routeTo() }, { name: 'b', match: [{ uri: { prefix: '/api/v1' } }], ...routeTo() }, routeTo()] }), { path: 'spec.http[1].match[0]', severity: 'info', code: 'IST0131', message: 'virtualService rule "b" match #0 of prefix /api/v1 is not used (duplicate/overlapping match in rule #0 of prefix /api on "a")' }],
];

describe('VirtualService webhook rules (exact Istio messages)', () => {
  test.each([...topLevelCases, ...actionCases, ...matchCases, ...destinationCases, ...policyCases, ...l4Cases, ...reachabilityCases])('%s', (_name, objects, expected) => {
    expectDiagnostic(objects, expected);
  });
});

test('a retryOn list met again is judged the same (verdicts are remembered by its text)', () => {
  const retryOnFindings = () => diagnosticsOf(httpRule({ ...routeTo(), retries: { attempts: 2, retryOn: 'bogus,5xx,bogus,418' } }))
    .filter((d) => d.rule === 'vs.retry-on').map((d) => d.message);
  const expected = ['"bogus" is not a valid retryOn policy', '"bogus" is not a valid retryOn policy'];
  expect(retryOnFindings()).toEqual(expected);
  expect(retryOnFindings()).toEqual(expected);
});

function routes(host = 'reviews'): { http: object[] } {
  return { http: [routeTo(host)] };
}
