import { ServiceModel } from '../../model/service-model';
import { renderIngressRoute, renderMeshRoute } from './http-route';
import { gatewayApiNames } from './names';
import { renderVersionDestinationRule, renderVersionService } from './version-backends';

/** One object of the Gateway API output, before metadata: the construct id it belongs to, its kind, name and spec. */
export interface GatewayApiSpec {
  readonly id: string;
  readonly kind: 'Service' | 'DestinationRule' | 'HTTPRoute';
  readonly name: string;
  readonly spec: unknown;
}

/**
 * The Gateway API output of a service, a pure function of its routing
 * model, in the order the objects are applied: per-version Services, their
 * DestinationRules, then the HTTPRoutes that send traffic to them. The
 * security objects are Istio's, as in the Istio output (the caller adds them).
 * Call it only once gatewayApiLosses(model) has found nothing.
 */
export function renderGatewayApi(model: ServiceModel): GatewayApiSpec[] {
  const specs: GatewayApiSpec[] = model.versions.map((version) => ({
    id: `Service-${version.name}`,
    kind: 'Service',
    name: gatewayApiNames.version(model, version.name),
    spec: renderVersionService(model, version),
  }));
  for (const version of model.versions) {
    const spec = renderVersionDestinationRule(model, version);
    if (spec) specs.push({ id: `DestinationRule-${version.name}`, kind: 'DestinationRule', name: gatewayApiNames.version(model, version.name), spec });
  }
  if (model.exposure.mesh) specs.push({ id: 'HTTPRoute', kind: 'HTTPRoute', name: gatewayApiNames.meshRoute(model), spec: renderMeshRoute(model) });
  if (model.exposure.gateways.length) specs.push({ id: 'HTTPRoute-ingress', kind: 'HTTPRoute', name: gatewayApiNames.ingressRoute(model), spec: renderIngressRoute(model) });
  return specs;
}

export { gatewayApiLosses, GATEWAY_API_REMEDY } from './losses';
export { GATEWAY_API_MAPPINGS, gatewayApiMappingTable } from './mappings';
export type { GatewayApiMapping } from './mappings';
export { gatewayApiNames, parentServiceOf } from './names';
