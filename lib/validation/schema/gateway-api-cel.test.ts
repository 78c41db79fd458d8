import { validateObjects } from '../validate-objects';
import { crdSchema, gatewayApiSchemaKey, type GatewayApiChannel } from './crd-schemas';

/**
 * Every CEL rule of the Gateway API kinds (HTTPRoute, Gateway) and the InferencePool, in both channels, broken
 * once by an object; the message is the rule's, as the API server prints it after `<path>: Invalid value: `.
 */

const HTTP_ROUTE = 'gateway.networking.k8s.io/v1/HTTPRoute';
const GATEWAY = 'gateway.networking.k8s.io/v1/Gateway';
const INFERENCE_POOL = 'inference.networking.k8s.io/v1/InferencePool';

const route = (spec: object) => ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'reviews', namespace: 'ml' }, spec });
const parentRefs = [{ name: 'reviews', kind: 'Service', group: '', port: 80 }];
const withRule = (rule: object) => route({ parentRefs, rules: [rule] });
const backend = { name: 'reviews-v1', port: 80 };
/** A rule with one filter on the rule and a copy on its backend: the same rules guard both lists. */
const withFilters = (filters: object[], rule: object = {}) => [
  withRule({ ...rule, filters }),
  withRule({ ...rule, backendRefs: [{ ...backend, filters }] }),
];
const gateway = (spec: object) => ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'public', namespace: 'ingress' }, spec: { gatewayClassName: 'istio', ...spec } });
const listener = (fields: object) => gateway({ listeners: [{ name: 'http', port: 80, protocol: 'HTTP', ...fields }] });
const pool = (spec: object) => ({
  apiVersion: 'inference.networking.k8s.io/v1', kind: 'InferencePool', metadata: { name: 'chat', namespace: 'ml' },
  spec: { selector: { matchLabels: { app: 'chat' } }, targetPorts: [{ number: 8000 }], endpointPickerRef: { name: 'chat-epp', port: { number: 9002 } }, ...spec },
});

type Case = [name: string, objects: object[], path: string, message: string, channel?: GatewayApiChannel];

const filterTypes: [type: string, field: string, value: object][] = [
  ['CORS', 'cors', { allowOrigins: ['https://a.example'] }],
  ['RequestHeaderModifier', 'requestHeaderModifier', { set: [{ name: 'x', value: 'y' }] }],
  ['ResponseHeaderModifier', 'responseHeaderModifier', { set: [{ name: 'x', value: 'y' }] }],
  ['RequestMirror', 'requestMirror', { backendRef: backend }],
  ['RequestRedirect', 'requestRedirect', { scheme: 'https' }],
  ['URLRewrite', 'urlRewrite', { hostname: 'a.example' }],
  ['ExtensionRef', 'extensionRef', { group: 'example.com', kind: 'Filter', name: 'f' }],
];

const externalAuth = { protocol: 'HTTP', backendRef: backend, http: {} };

/** The filter-level cases, on the rule's filters and on a backend's. */
function filterCases(): Case[] {
  const cases: Case[] = [];
  const at = (objects: object[]) => [['rules', objects[0], 'spec.rules[0].filters'], ['backendRefs', objects[1], 'spec.rules[0].backendRefs[0].filters']] as const;
  const add = (name: string, filters: object[], suffix: string, message: string, channel?: GatewayApiChannel) => {
    for (const [where, object, path] of at(withFilters(filters))) cases.push([`${where}: ${name}`, [object], `${path}${suffix}`, message, channel]);
  };
  for (const [type, field, value] of filterTypes) {
    add(`${field} with another type`, [{ type: type === 'CORS' ? 'URLRewrite' : 'CORS', [field]: value }], '[0]', `filter.${field} must be nil if the filter.type is not ${type}`);
    add(`${type} without ${field}`, [{ type }], '[0]', `filter.${field} must be specified for ${type} filter.type`);
  }
  add('externalAuth with another type', [{ type: 'CORS', cors: {}, externalAuth }], '[0]', 'filter.externalAuth must be nil if the filter.type is not ExternalAuth', 'experimental');
  add('ExternalAuth without externalAuth', [{ type: 'ExternalAuth' }], '[0]', 'filter.externalAuth must be specified for ExternalAuth filter.type', 'experimental');
  for (const [type, field, value] of filterTypes.filter(([t]) => t !== 'RequestMirror' && t !== 'ExtensionRef')) {
    add(`${type} twice`, [{ type, [field]: value }, { type, [field]: value }], '', `${type} filter cannot be repeated`);
  }
  add('redirect and rewrite', [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https' } }, { type: 'URLRewrite', urlRewrite: { hostname: 'a' } }], '', 'May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both');
  for (const list of ['allowHeaders', 'allowMethods', 'allowOrigins'] as const) {
    const values = { allowHeaders: ['*', 'x-a'], allowMethods: ['*', 'GET'], allowOrigins: ['*', 'https://a.example'] }[list];
    const what = list === 'allowOrigins' ? 'origins' : 'methods';
    add(`cors ${list} with *`, [{ type: 'CORS', cors: { [list]: values } }], `[0].cors.${list}`, `${list.replace('allow', 'Allow')} cannot contain '*' alongside other ${what}`);
  }
  add('mirror percent and fraction', [{ type: 'RequestMirror', requestMirror: { backendRef: backend, percent: 10, fraction: { numerator: 1 } } }], '[0].requestMirror', 'Only one of percent or fraction may be specified in HTTPRequestMirrorFilter');
  add('mirror Service without port', [{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'shadow' } } }], '[0].requestMirror.backendRef', 'Must have port for Service reference');
  add('mirror fraction above 1', [{ type: 'RequestMirror', requestMirror: { backendRef: backend, fraction: { numerator: 3, denominator: 2 } } }], '[0].requestMirror.fraction', 'numerator must be less than or equal to denominator');
  for (const filter of ['requestRedirect', 'urlRewrite'] as const) {
    const type = filter === 'requestRedirect' ? 'RequestRedirect' : 'URLRewrite';
    const pathCase = (name: string, path: object, message: string) =>
      add(`${filter} ${name}`, [{ type, [filter]: { path } }], `[0].${filter}.path`, message);
    pathCase('full path without value', { type: 'ReplaceFullPath' }, "replaceFullPath must be specified when type is set to 'ReplaceFullPath'");
    pathCase('full path value with prefix type', { type: 'ReplacePrefixMatch', replacePrefixMatch: '/a', replaceFullPath: '/b' }, "type must be 'ReplaceFullPath' when replaceFullPath is set");
    pathCase('prefix without value', { type: 'ReplacePrefixMatch' }, "replacePrefixMatch must be specified when type is set to 'ReplacePrefixMatch'");
    pathCase('prefix value with full type', { type: 'ReplaceFullPath', replaceFullPath: '/b', replacePrefixMatch: '/a' }, "type must be 'ReplacePrefixMatch' when replacePrefixMatch is set");
  }
  const grpcAuth = { protocol: 'GRPC', backendRef: backend, grpc: {} };
  add('externalAuth GRPC without grpc', [{ type: 'ExternalAuth', externalAuth: { protocol: 'GRPC', backendRef: backend } }], '[0].externalAuth', "grpc must be specified when protocol is set to 'GRPC'", 'experimental');
  add('externalAuth grpc with HTTP', [{ type: 'ExternalAuth', externalAuth: { ...externalAuth, grpc: {} } }], '[0].externalAuth', "protocol must be 'GRPC' when grpc is set", 'experimental');
  add('externalAuth HTTP without http', [{ type: 'ExternalAuth', externalAuth: { protocol: 'HTTP', backendRef: backend } }], '[0].externalAuth', "http must be specified when protocol is set to 'HTTP'", 'experimental');
  add('externalAuth http with GRPC', [{ type: 'ExternalAuth', externalAuth: { ...grpcAuth, http: {} } }], '[0].externalAuth', "protocol must be 'HTTP' when http is set", 'experimental');
  add('externalAuth Service without port', [{ type: 'ExternalAuth', externalAuth: { ...externalAuth, backendRef: { name: 'auth' } } }], '[0].externalAuth.backendRef', 'Must have port for Service reference', 'experimental');
  return cases;
}

const prefixRewrite = (filter: 'requestRedirect' | 'urlRewrite') => ({
  type: filter === 'requestRedirect' ? 'RequestRedirect' : 'URLRewrite',
  [filter]: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/v2' } },
});
const exactMatch = [{ path: { type: 'Exact', value: '/v1' } }];
const pathMatch = (value: string, type = 'PathPrefix') => withRule({ matches: [{ path: { type, value } }] });

const routeCases: Case[] = [
  ['same parent twice, one without sectionName', [route({ parentRefs: [{ name: 'public' }, { name: 'public', sectionName: 'https' }] })], 'spec.parentRefs', 'sectionName must be specified when parentRefs includes 2 or more references to the same parent'],
  ['same parent twice', [route({ parentRefs: [{ name: 'public' }, { name: 'public' }] })], 'spec.parentRefs', 'sectionName must be unique when parentRefs includes 2 or more references to the same parent'],
  ['same parent twice, one without sectionName (experimental)', [route({ parentRefs: [{ name: 'public' }, { name: 'public', sectionName: 'https' }] })], 'spec.parentRefs', 'sectionName or port must be specified when parentRefs includes 2 or more references to the same parent', 'experimental'],
  ['same parent twice (experimental)', [route({ parentRefs: [{ name: 'public' }, { name: 'public' }] })], 'spec.parentRefs', 'sectionName or port must be unique when parentRefs includes 2 or more references to the same parent', 'experimental'],
  ['more than 128 matches', [route({ parentRefs, rules: [0, 1, 2].map((r) => ({ matches: Array.from({ length: 64 }, (_, i) => ({ path: { type: 'Exact', value: `/r${r}/m${i}` } })) })) })], 'spec.rules', 'While 16 rules and 64 matches per rule are allowed, the total number of matches across all rules in a route must be less than 128'],
  ['two rules with one name', [route({ parentRefs, rules: [{ name: 'a' }, { name: 'a' }] })], 'spec.rules', 'Rule name must be unique within the route', 'experimental'],
  ['redirect with backends', [withRule({ backendRefs: [backend], filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https' } }] })], 'spec.rules[0]', 'RequestRedirect filter must not be used together with backendRefs'],
  ['redirect replacePrefixMatch on an Exact match', [withRule({ matches: exactMatch, filters: [prefixRewrite('requestRedirect')] })], 'spec.rules[0]', 'When using RequestRedirect filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified'],
  ['rewrite replacePrefixMatch on an Exact match', [withRule({ matches: exactMatch, filters: [prefixRewrite('urlRewrite')] })], 'spec.rules[0]', 'When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified'],
  ['backend redirect replacePrefixMatch on an Exact match', [withRule({ matches: exactMatch, backendRefs: [{ ...backend, filters: [prefixRewrite('requestRedirect')] }] })], 'spec.rules[0]', 'Within backendRefs, when using RequestRedirect filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified'],
  ['backend rewrite replacePrefixMatch on an Exact match', [withRule({ matches: exactMatch, backendRefs: [{ ...backend, filters: [prefixRewrite('urlRewrite')] }] })], 'spec.rules[0]', 'Within backendRefs, When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified'],
  ['Service backend without port', [withRule({ backendRefs: [{ name: 'reviews-v1' }] })], 'spec.rules[0].backendRefs[0]', 'Must have port for Service reference'],
  ['relative path', [pathMatch('v1')], 'spec.rules[0].matches[0].path', "value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']"],
  ['path with //', [pathMatch('/v1//a')], 'spec.rules[0].matches[0].path', "must not contain '//' when type one of ['Exact', 'PathPrefix']"],
  ['path with /./', [pathMatch('/v1/./a')], 'spec.rules[0].matches[0].path', "must not contain '/./' when type one of ['Exact', 'PathPrefix']"],
  ['path with /../', [pathMatch('/v1/../a')], 'spec.rules[0].matches[0].path', "must not contain '/../' when type one of ['Exact', 'PathPrefix']"],
  ['path with %2f', [pathMatch('/v1%2fa')], 'spec.rules[0].matches[0].path', "must not contain '%2f' when type one of ['Exact', 'PathPrefix']"],
  ['path with %2F', [pathMatch('/v1%2Fa')], 'spec.rules[0].matches[0].path', "must not contain '%2F' when type one of ['Exact', 'PathPrefix']"],
  ['path with #', [pathMatch('/v1#a')], 'spec.rules[0].matches[0].path', "must not contain '#' when type one of ['Exact', 'PathPrefix']"],
  ['path ending in /..', [pathMatch('/v1/..')], 'spec.rules[0].matches[0].path', "must not end with '/..' when type one of ['Exact', 'PathPrefix']"],
  ['path ending in /.', [pathMatch('/v1/.', 'Exact')], 'spec.rules[0].matches[0].path', "must not end with '/.' when type one of ['Exact', 'PathPrefix']"],
  ['unknown path match type', [pathMatch('/v1', 'Glob')], 'spec.rules[0].matches[0].path', "type must be one of ['Exact', 'PathPrefix', 'RegularExpression']"],
  ['path with a space', [pathMatch('/v1 a')], 'spec.rules[0].matches[0].path', "must only contain valid characters (matching ^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$) for types ['Exact', 'PathPrefix']"],
  ['backendRequest longer than request', [withRule({ timeouts: { request: '5s', backendRequest: '10s' } })], 'spec.rules[0].timeouts', 'backendRequest timeout cannot be longer than request timeout'],
  ['permanent cookie without absoluteTimeout', [withRule({ sessionPersistence: { cookieConfig: { lifetimeType: 'Permanent' } } })], 'spec.rules[0].sessionPersistence', 'AbsoluteTimeout must be specified when cookie lifetimeType is Permanent', 'experimental'],
  ['cookieConfig with Header persistence', [withRule({ sessionPersistence: { type: 'Header', cookieConfig: {} } })], 'spec.rules[0].sessionPersistence', 'cookieConfig can only be set with type Cookie', 'experimental'],
  ...filterCases(),
];

const gatewayCases: Case[] = [
  ['IP address twice', [gateway({ listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }], addresses: [{ value: '10.0.0.1' }, { type: 'IPAddress', value: '10.0.0.1' }] })], 'spec.addresses', 'IPAddress values must be unique'],
  ['hostname address twice', [gateway({ listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }], addresses: [{ type: 'Hostname', value: 'lb.example' }, { type: 'Hostname', value: 'lb.example' }] })], 'spec.addresses', 'Hostname values must be unique'],
  ['hostname address with an underscore', [gateway({ listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }], addresses: [{ type: 'Hostname', value: 'lb_1.example' }] })], 'spec.addresses[0]', 'Hostname value must be empty or contain only valid characters (matching ^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$)'],
  ['annotation key with a space', [gateway({ listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }], infrastructure: { annotations: { 'a b': 'c' } } })], 'spec.infrastructure.annotations', 'Annotation keys must be in the form of an optional DNS subdomain prefix followed by a required name segment of up to 63 characters.'],
  ['annotation key prefix of 253 characters', [gateway({ listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }], infrastructure: { annotations: { [`${'a'.repeat(253)}/b`]: 'c' } } })], 'spec.infrastructure.annotations', "If specified, the annotation key's prefix must be a DNS subdomain not longer than 253 characters in total."],
  ['label key with a space', [gateway({ listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }], infrastructure: { labels: { 'a b': 'c' } } })], 'spec.infrastructure.labels', 'Label keys must be in the form of an optional DNS subdomain prefix followed by a required name segment of up to 63 characters.'],
  ['label key prefix of 253 characters', [gateway({ listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }], infrastructure: { labels: { [`${'a'.repeat(253)}/b`]: 'c' } } })], 'spec.infrastructure.labels', "If specified, the label key's prefix must be a DNS subdomain not longer than 253 characters in total."],
  ['tls on an HTTP listener', [listener({ tls: { certificateRefs: [{ name: 'cert' }] } })], 'spec.listeners', "tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']"],
  ['Passthrough on an HTTPS listener', [listener({ protocol: 'HTTPS', port: 443, tls: { mode: 'Passthrough' } })], 'spec.listeners', 'tls mode must be Terminate for protocol HTTPS'],
  ['TLS listener without tls', [listener({ protocol: 'TLS', port: 443 })], 'spec.listeners', 'tls mode must be set for protocol TLS'],
  ['TCP listener with a hostname', [listener({ protocol: 'TCP', port: 9000, hostname: 'a.example' })], 'spec.listeners', "hostname must not be specified for protocols ['TCP', 'UDP']"],
  ['listener name twice', [gateway({ listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }, { name: 'http', port: 8080, protocol: 'HTTP' }] })], 'spec.listeners', 'Listener name must be unique within the Gateway'],
  ['port, protocol and hostname twice', [gateway({ listeners: [{ name: 'a', port: 80, protocol: 'HTTP' }, { name: 'b', port: 80, protocol: 'HTTP' }] })], 'spec.listeners', 'Combination of port, protocol and hostname must be unique for each listener'],
  ['Terminate without certificates', [listener({ protocol: 'HTTPS', port: 443, tls: { certificateRefs: [] } })], 'spec.listeners[0].tls', 'no such key: options evaluating rule: certificateRefs or options must be specified when mode is Terminate'],
  ['TLS settings for one port twice', [gateway({ listeners: [{ name: 'https', port: 443, protocol: 'HTTPS', tls: { certificateRefs: [{ name: 'c' }] } }], tls: { frontend: { default: { validation: { caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'ca' }] } }, perPort: [{ port: 443, tls: { validation: { caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'ca' }] } } }, { port: 443, tls: { validation: { caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'ca' }] } } }] } } })], 'spec.tls.frontend.perPort', 'Port for TLS configuration must be unique within the Gateway'],
];

const poolCases: Case[] = [
  ['endpoint picker Service without port', [pool({ endpointPickerRef: { name: 'chat-epp' } })], 'spec.endpointPickerRef', "port is required when kind is 'Service' or unspecified (defaults to 'Service')"],
  ['target port twice', [pool({ targetPorts: [{ number: 8000 }, { number: 8000 }] })], 'spec.targetPorts', 'port number must be unique'],
];

const allCases = [...routeCases, ...gatewayCases, ...poolCases];

function celFindings(objects: object[], channel: GatewayApiChannel = 'standard'): string[] {
  return validateObjects(objects, { gatewayApiChannel: channel }).filter((d) => d.rule === 'cel').map((d) => `${d.path}: ${d.message}`);
}

describe('CEL rules of the Gateway API and Inference Extension CRDs, each broken once', () => {
  // A rest parameter: jest would take a fifth named parameter for its `done` callback when a case has four.
  test.each(allCases)('%s', (...[, objects, path, message, channel]: Case) => {
    expect(celFindings(objects, channel)).toContain(`${path}: ${message}`);
  });
});

/** Every rule location of a kind's schema: 'spec.rules[].filters[]' + message. */
function ruleLocations(key: string): string[] {
  const out: string[] = [];
  const walk = (node: any, path: string) => {
    if (!node || typeof node !== 'object') return;
    for (const v of node['x-kubernetes-validations'] ?? []) out.push(`${path}: ${v.message}`);
    for (const [name, child] of Object.entries(node.properties ?? {})) walk(child, path === '' ? name : `${path}.${name}`);
    if (node.items) walk(node.items, `${path}[]`);
  };
  walk(crdSchema(key), '');
  // A create drops status (the status subresource): its rules never run on what the library writes.
  return out.filter((location) => !location.startsWith('status'));
}

test('the cases break every rule of HTTPRoute, Gateway and InferencePool, in both channels', () => {
  for (const channel of ['standard', 'experimental'] as const) {
    const broken = new Set(allCases.filter((c) => (c[4] ?? 'standard') === channel || channel === 'experimental')
      .flatMap(([, objects]) => celFindings(objects, channel))
      .map((line) => line.replace(/\[\d+\]/g, '[]').replace(/: [a-z ]+: \w+ evaluating rule: /, ': ')));
    for (const kind of [HTTP_ROUTE, GATEWAY, INFERENCE_POOL]) {
      const missing = ruleLocations(gatewayApiSchemaKey(kind.slice(0, kind.lastIndexOf('/')), kind.slice(kind.lastIndexOf('/') + 1), channel)!).filter((location) => !broken.has(location));
      expect({ channel, kind, missing }).toEqual({ channel, kind, missing: [] });
    }
  }
});

test('a valid route with every field the library writes breaks no rule', () => {
  const valid = route({
    parentRefs: [{ name: 'reviews', kind: 'Service', group: '', port: 80 }, { name: 'public', namespace: 'ingress', sectionName: 'https' }],
    hostnames: ['reviews.example.com'],
    rules: [{
      matches: [{ path: { type: 'PathPrefix', value: '/predict' }, headers: [{ name: 'x-model', value: 'v2' }], queryParams: [{ name: 'debug', value: '1' }], method: 'POST' }],
      filters: [
        { type: 'RequestMirror', requestMirror: { backendRef: { name: 'reviews-v3', port: 80 }, percent: 10 } },
        { type: 'RequestMirror', requestMirror: { backendRef: { name: 'reviews-v4', port: 80 }, fraction: { numerator: 5, denominator: 1000 } } },
        { type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/v2/predict' } } },
        { type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-a', value: '1' }], add: [{ name: 'x-b', value: '2' }], remove: ['x-c'] } },
        { type: 'ResponseHeaderModifier', responseHeaderModifier: { set: [{ name: 'x-d', value: '1' }] } },
      ],
      backendRefs: [{ name: 'reviews-v1', port: 80, weight: 90 }, { name: 'reviews-v2', port: 80, weight: 10 }],
      timeouts: { request: '10s', backendRequest: '2s' },
    }],
  });
  expect(validateObjects([valid])).toEqual([]);
});
