import { RequestMatch } from '../../match/request-match';
import { StringMatch, StringMatchJson } from '../../match/string-match';
import { RuleModel, ServiceModel } from '../../model/service-model';
import { parseGatewayReference } from '../../policies/external-gateway';
import { RetryOn, RetryPolicy } from '../../policies/retry-policy';
import { gatewayDuration } from '../../values/gateway-duration';
import { Percent } from '../../values/percent';
import { backendPortOf, gatewayApiNames, parentServiceOf } from './names';

/** The HTTPRoute JSON this renderer writes (plain data, keys in the output's sorted order). */
export type Json = Record<string, any>;

/** Retry conditions Istio's conversion writes for every HTTPRoute `retry`, and nothing else (conversion.go). */
export const ISTIO_GATEWAY_RETRY_ON: ReadonlySet<string> = new Set([
  RetryOn.CONNECT_FAILURE, RetryOn.REFUSED_STREAM, RetryOn.UNAVAILABLE, RetryOn.CANCELLED, RetryOn.RETRIABLE_STATUS_CODES,
]);

/** The HTTPRoute of in-mesh callers: the Service is the parent (GAMMA); on the service's port only when it has one. */
export function renderMeshRoute(model: ServiceModel): Json {
  const parent = { group: '', kind: 'Service', name: parentServiceOf(model)!, ...(model.port !== undefined && { port: model.port }) };
  return { parentRefs: [parent], rules: model.rules.map((rule) => renderRule(model, rule)) };
}

/**
 * The HTTPRoute of the ingress Gateways: each `namespace/name` of the
 * exposure names a Kubernetes Gateway, its hosts are the hostnames. Test
 * rules stay off it unless opened to gateways, as in the VirtualService.
 */
export function renderIngressRoute(model: ServiceModel): Json {
  // One parentRef per Gateway and each host once, however many ingress entries name them (the CRD refuses repeats).
  const parentRefs = [...new Set(model.exposure.gateways)].map((reference) => {
    const [namespace, name] = parseGatewayReference('Exposure.ingress', reference);
    return { group: 'gateway.networking.k8s.io', kind: 'Gateway', name, namespace };
  });
  return {
    hostnames: [...new Set(model.exposure.externalHosts)],
    parentRefs,
    rules: model.rules.filter((rule) => !rule.meshOnly).map((rule) => renderRule(model, rule)),
  };
}

function renderRule(model: ServiceModel, rule: RuleModel): Json {
  const where = rule.route === 'default' ? 'default route' : `route "${rule.route}"`;
  const port = backendPortOf(model);
  const backendRef = (version: string) => ({ name: gatewayApiNames.version(model, version), port });
  const several = rule.destinations.length > 1;
  const filters: Json[] = [];
  for (const mirror of rule.mirrors) {
    filters.push({ requestMirror: { backendRef: backendRef(mirror.version), ...mirrorShare(mirror.percent) }, type: 'RequestMirror' });
  }
  if (rule.rewrite) filters.push({ type: 'URLRewrite', urlRewrite: { path: { replaceFullPath: rule.rewrite.uri, type: 'ReplaceFullPath' } } });
  // A per-try timeout is refused (losses.ts): Istio would read `backendRequest` as one, and never retry a timed-out try.
  const retry = rule.retries && retryOf(rule.retries);
  return {
    backendRefs: rule.destinations.map((d) => ({
      ...(d.addResponseHeaders && {
        filters: [{
          responseHeaderModifier: { add: Object.entries(d.addResponseHeaders).map(([name, value]) => ({ name, value })) },
          type: 'ResponseHeaderModifier',
        }],
      }),
      ...backendRef(d.version),
      ...(several && { weight: d.weight ?? 0 }),
    })),
    ...(filters.length && { filters }),
    matches: rule.matches.length ? rule.matches.map(renderMatch) : [{ path: { type: 'PathPrefix', value: '/' } }],
    name: rule.name,
    ...(retry && { retry }),
    ...(rule.timeout && { timeouts: { request: gatewayDuration(rule.timeout, `${where} timeout`) } }),
  };
}

/** One HTTPRouteMatch; the path always written out (the API server would default it to PathPrefix /). */
export function renderMatch(match: RequestMatch): Json {
  const json = match.toJson();
  return {
    ...(json.headers && { headers: Object.entries(json.headers).map(([name, m]) => ({ name, ...valueMatch(m) })) }),
    ...(json.method && 'exact' in json.method && { method: json.method.exact }),
    path: pathOf(match),
    ...(json.queryParams && { queryParams: Object.entries(json.queryParams).map(([name, m]) => ({ name, ...valueMatch(m) })) }),
  };
}

function pathOf(match: RequestMatch): { type: string; value: string } {
  const segments = match.uriSegmentPrefix;
  if (segments !== undefined) return { type: 'PathPrefix', value: segments };
  const uri = match.uri;
  if (!uri) return { type: 'PathPrefix', value: '/' };
  if ('exact' in uri) return { type: 'Exact', value: uri.exact };
  // Only `/` reaches here as a prefix: other character prefixes are refused (see losses.ts).
  if ('prefix' in uri) return { type: 'PathPrefix', value: uri.prefix };
  return { type: 'RegularExpression', value: uri.regex };
}

/** Header and query matches have Exact and RegularExpression only: a prefix is the RE2 regex `<prefix>.*` (Envoy matches regexes whole). */
function valueMatch(match: StringMatchJson): { type: string; value: string } {
  if ('exact' in match) return { type: 'Exact', value: match.exact };
  if ('regex' in match) return { type: 'RegularExpression', value: match.regex };
  return { type: 'RegularExpression', value: `${StringMatch.quote(match.prefix)}.*` };
}

/** Whole percents as `percent`; any other share as a fraction Istio reads back to the same value (100 x numerator / denominator). */
function mirrorShare(percent: Percent): Json {
  if (percent.isWhole) return { percent: percent.value };
  const decimals = (String(percent.value).split('.')[1] ?? '').length;
  const denominator = 100 * 10 ** decimals;
  return { fraction: { denominator, numerator: Math.round(percent.value * 10 ** decimals) } };
}

/**
 * Istio's default retry policy (no `retry` on the rule) is 2 retries of
 * connect-failure, refused-stream, unavailable and cancelled, exactly what a
 * `retry: { attempts: 2 }` converts to: so the library's default is written
 * as nothing, and stays on the standard channel. Any other policy needs the
 * experimental `retry` field.
 */
export function retryOf(retries: RetryPolicy): Json | undefined {
  if (retries.attempts === 2 && retries.statusCodes.length === 0) return undefined;
  return { attempts: retries.attempts, ...(retries.statusCodes.length && { codes: [...retries.statusCodes] }) };
}
