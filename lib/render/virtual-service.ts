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
  const matches = rule.matches.map((m) => ({
    // Test rules answer in-mesh callers only: the internet cannot opt into a preview or a fault.
    ...(rule.meshOnly && { gateways: ['mesh'] }),
    ...m.toJson(),
    ...(rule.matchPort !== undefined && { port: rule.matchPort }),
  }));
  if (matches.length === 0 && (rule.meshOnly || rule.matchPort !== undefined)) {
    matches.push({ ...(rule.meshOnly && { gateways: ['mesh'] }), ...(rule.matchPort !== undefined && { port: rule.matchPort }) });
  }
  const json: HttpRuleJson = {};
  if (rule.fault) json.fault = rule.fault.toJson(`${where} fault`);
  if (matches.length) json.match = matches;
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
