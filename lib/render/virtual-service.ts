import { VirtualServiceSpec, VirtualServiceSpecHttp } from '../../imports/networking.istio.io';
import { ServiceModel, RuleModel } from '../model/service-model';
import { istioDuration } from '../values/istio-duration';

/** An Istio HTTPRoute, mutable while it is assembled. */
export type HttpRuleJson = { -readonly [K in keyof VirtualServiceSpecHttp]: VirtualServiceSpecHttp[K] };

/** The route table: the service's host and external hosts, bound to the mesh and/or gateways. */
export function renderVirtualService(model: ServiceModel): VirtualServiceSpec {
  const { exposure } = model;
  const gateways = exposure.gateways.length === 0 ? undefined : exposure.mesh ? ['mesh', ...exposure.gateways] : [...exposure.gateways];
  // Keys in the output's (sorted) order here and below, so that synthesis keeps these objects as they are.
  return {
    ...(gateways && { gateways }),
    hosts: [model.host, ...exposure.externalHosts],
    http: model.rules.map((rule) => renderRule(model, rule)),
  };
}

function renderRule(model: ServiceModel, rule: RuleModel): HttpRuleJson {
  const where = `route "${rule.route}"`;
  const destination = (version: string) => ({
    host: model.host,
    ...(rule.port !== undefined && { port: { number: rule.port } }),
    subset: version,
  });
  const several = rule.destinations.length > 1;
  const bindings = bindingsOf(model, rule);
  const conditions = rule.matches.length ? rule.matches.map((m) => m.toJson()) : [undefined];
  const matches = conditions.flatMap((condition) => bindings.map((binding) => ({ ...binding.gateways, ...condition, ...binding.port })));
  const json: HttpRuleJson = {};
  if (rule.fault) json.fault = rule.fault.toJson(`${where} fault`);
  if (matches.some((m) => Object.keys(m).length > 0)) json.match = matches;
  if (rule.mirrors.length === 1) {
    json.mirror = destination(rule.mirrors[0].version);
    json.mirrorPercentage = { value: rule.mirrors[0].percent.value };
  } else if (rule.mirrors.length > 1) {
    json.mirrors = rule.mirrors.map((m) => ({ destination: destination(m.version), percentage: { value: m.percent.value } }));
  }
  json.name = rule.name;
  json.retries = rule.retries.toJson(`${where} retries`);
  if (rule.rewrite) json.rewrite = { uri: rule.rewrite.uri };
  json.route = rule.destinations.map((d) => ({
    destination: destination(d.version),
    ...(d.addResponseHeaders && { headers: { response: { add: { ...d.addResponseHeaders } } } }),
    ...(several && { weight: d.weight ?? 0 }),
  }));
  if (rule.timeout) json.timeout = istioDuration(rule.timeout, `${where} timeout`);
  return json;
}

/**
 * Whom a rule's match blocks answer, ANDed into each block. In-mesh requests
 * arrive on a Service port, so a rule for a port matches that port (each port
 * routes to itself, never to the service's port); requests through a gateway
 * arrive on the gateway's port, which no Service port names, so their block
 * has none. Test rules answer in-mesh callers only, unless opened.
 */
function bindingsOf(model: ServiceModel, rule: RuleModel): Array<{ gateways?: { gateways: string[] }; port?: { port: number } }> {
  const { exposure } = model;
  const port = rule.port === undefined ? undefined : { port: rule.port };
  if (exposure.gateways.length === 0) return [{ port }];
  if (rule.meshOnly) return [{ gateways: { gateways: ['mesh'] }, port }];
  if (!exposure.mesh || port === undefined) return [{}];
  return [{ gateways: { gateways: ['mesh'] }, port }, { gateways: { gateways: [...exposure.gateways] } }];
}
