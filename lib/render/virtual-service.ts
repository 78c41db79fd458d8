import { VirtualServiceSpec, VirtualServiceSpecHttp } from '../../imports/networking.istio.io';
import { ServiceModel, RuleModel } from '../model/service-model';
import { istioDuration } from '../values/istio-duration';

/** An Istio HTTPRoute, mutable while it is assembled. */
export type HttpRuleJson = { -readonly [K in keyof VirtualServiceSpecHttp]: VirtualServiceSpecHttp[K] };

/** The route table: the service's host and external hosts, bound to the mesh and/or gateways. */
export function renderVirtualService(model: ServiceModel): VirtualServiceSpec {
  const { exposure } = model;
  const gateways = exposure.gateways.length === 0 ? undefined : exposure.mesh ? ['mesh', ...exposure.gateways] : [...exposure.gateways];
  return {
    hosts: [model.host, ...exposure.externalHosts],
    gateways,
    http: model.rules.map((rule) => renderRule(model, rule)),
  };
}

function renderRule(model: ServiceModel, rule: RuleModel): HttpRuleJson {
  const where = `route "${rule.route}"`;
  const destination = (version: string) => ({
    host: model.host,
    subset: version,
    ...(rule.port !== undefined && { port: { number: rule.port } }),
  });
  const several = rule.destinations.length > 1;
  const json: HttpRuleJson = {
    name: rule.name,
    route: rule.destinations.map((d) => ({
      destination: destination(d.version),
      ...(several && { weight: d.weight ?? 0 }),
      ...(d.addResponseHeaders && { headers: { response: { add: { ...d.addResponseHeaders } } } }),
    })),
  };
  const matches = rule.matches.map((m) => ({
    ...m.toJson(),
    ...(rule.matchPort !== undefined && { port: rule.matchPort }),
    // Test rules answer in-mesh callers only: the internet cannot opt into a preview or a fault.
    ...(rule.meshOnly && { gateways: ['mesh'] }),
  }));
  if (matches.length === 0 && (rule.meshOnly || rule.matchPort !== undefined)) {
    matches.push({ ...(rule.matchPort !== undefined && { port: rule.matchPort }), ...(rule.meshOnly && { gateways: ['mesh'] }) });
  }
  if (matches.length) json.match = matches;
  if (rule.mirrors.length === 1) {
    json.mirror = destination(rule.mirrors[0].version);
    json.mirrorPercentage = { value: rule.mirrors[0].percent.value };
  } else if (rule.mirrors.length > 1) {
    json.mirrors = rule.mirrors.map((m) => ({ destination: destination(m.version), percentage: { value: m.percent.value } }));
  }
  if (rule.rewrite) json.rewrite = { uri: rule.rewrite.uri };
  if (rule.timeout) json.timeout = istioDuration(rule.timeout, `${where} timeout`);
  json.retries = rule.retries.toJson(`${where} retries`);
  if (rule.fault) json.fault = rule.fault.toJson(`${where} fault`);
  return json;
}
