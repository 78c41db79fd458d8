import { childPath } from '../core/field-path';
import { asList } from '../gateway-controller/backend-refs';
import { INFERENCE_GROUP, type GatewayApiObject, type GatewayApiSet } from '../gateway-controller/gateway-api-set';
import type { AnalyzedObject, CrossObjectFinding } from './analysis-set';

/**
 * InferencePools and the HTTPRoutes that send to them, as Istio 1.30 serves them
 * (pilot/pkg/config/kube/gateway: inferencepool_collection.go, conversion.go; networking/core/route.go):
 *
 * - the pool's endpoint picker must be a Service (calculateResolvedRefsStatus: `Unsupported ExtensionRef
 *   kind`) that exists in the pool's namespace (`Referenced ExtensionRef not found`), and have the port the pool
 *   names: Istio points ext_proc at `outbound|<port>||<picker FQDN>`, a cluster that exists only for a port of
 *   the Service (without it, FailClose answers every request with an error, FailOpen skips the picker).
 *   Services are looked up only when some were given, as the other analyzers do;
 * - a route reaching a pool from the mesh (a Service parent) asks no picker: sidecars get no ext_proc filter;
 * - a rule keeps one picker, the last backend's (buildHTTPDestination): weights across pools with different
 *   pickers give every share to that one picker; a CORS filter drops it (route.go resets per-filter configs).
 */
export function analyzeInferencePools(set: GatewayApiSet, services: readonly AnalyzedObject[] | undefined): CrossObjectFinding[] {
  const findings: CrossObjectFinding[] = [];
  for (const pool of set.all('InferencePool')) {
    if (pool.index === undefined) continue;
    const ref = pool.spec.endpointPickerRef ?? {};
    const kind = typeof ref.kind === 'string' && ref.kind !== '' ? ref.kind : 'Service';
    const at = (message: string, rule: string) => findings.push({ objectIndex: pool.index!, path: 'spec.endpointPickerRef', severity: 'error', rule, message });
    if (kind !== 'Service') {
      at(`InvalidExtensionRef: Unsupported ExtensionRef kind ${kind}`, 'inference.invalid-extension-ref');
      continue;
    }
    if (!services) continue;
    const service = services.find((s) => s.namespace === pool.namespace && s.name === ref.name);
    if (!service) {
      at(`InvalidExtensionRef: Referenced ExtensionRef not found ${String(ref.name ?? '')} (the endpoint picker's Service must be in the pool's namespace, ${pool.namespace})`, 'inference.extension-ref-not-found');
      continue;
    }
    const ports = asList(service.spec?.ports).map((p: any) => Number(p?.port));
    const port = Number(ref.port?.number);
    if (!ports.includes(port)) {
      const failure = ref.failureMode === 'FailOpen' ? 'the gateway routes without it (FailOpen)' : 'every request gets an error (FailClose)';
      at(`endpointPickerRef.port must be a port of Service ${service.namespace}/${service.name} (${ports.join(', ') || 'none'}): Istio sends ext_proc to that port's cluster, which does not exist, so ${failure}; received ${port}`, 'inference.picker-port');
    }
  }
  for (const route of set.all('HTTPRoute')) {
    if (route.index === undefined) continue;
    const meshParent = asList(route.spec.parentRefs).findIndex((p: any) => (p?.group === '' || p?.group === 'core') && p?.kind === 'Service');
    asList(route.spec.rules).forEach((rule: any, r: number) => {
      const rulePath = childPath('spec.rules', r);
      const backends = asList(rule?.backendRefs).filter((b: any) => b?.weight !== 0);
      const pools = backends.filter(isPool);
      if (pools.length === 0) return;
      const warn = (path: string, rule: string, message: string) => findings.push({ objectIndex: route.index!, path, severity: 'warning', rule, message });
      if (meshParent >= 0) {
        warn(childPath('spec.parentRefs', meshParent), 'ours.inference-mesh-parent', 'a Service parent (the mesh) reaches InferencePool backends without their endpoint picker: Istio adds the ext_proc filter on gateways only, so sidecars pick the pool\'s pods by their own load balancing');
      }
      if (asList(rule?.filters).some((f: any) => f?.type === 'CORS')) {
        warn(childPath(rulePath, 'filters'), 'ours.inference-picker-dropped', 'a CORS filter on a rule with InferencePool backends drops the endpoint picker: Istio resets the route\'s per-filter configs, ext_proc included');
      }
      const last = backends[backends.length - 1];
      const pickerOf = (b: any) => pickerService(set, b, route.namespace);
      const asked = isPool(last) ? pickerOf(last) : undefined;
      const others = pools.filter((b: any) => b !== last && pickerOf(b) !== asked);
      if (others.length) {
        const who = asked ? `the endpoint picker of the last backend (${asked})` : 'no endpoint picker (the last backend is not an InferencePool)';
        warn(childPath(rulePath, 'backendRefs'), 'ours.inference-one-picker-per-rule', `Istio keeps one endpoint picker per rule: every request of this rule goes to ${who}, the share of ${others.map((b: any) => `InferencePool ${b.name}`).join(', ')} included, whose pods Envoy then picks round robin`);
      }
    });
  }
  return findings;
}

function isPool(backend: any): boolean {
  return backend?.group === INFERENCE_GROUP && backend?.kind === 'InferencePool';
}

/** `ns/name:port` of a pool backend's picker, or the pool's ref when the pool is not among the objects. */
function pickerService(set: GatewayApiSet, backend: any, routeNamespace: string): string {
  const namespace = typeof backend.namespace === 'string' ? backend.namespace : routeNamespace;
  const pool: GatewayApiObject | undefined = set.find('InferencePool', namespace, String(backend.name));
  const ref = pool?.spec.endpointPickerRef;
  return ref ? `${namespace}/${ref.name}:${ref.port?.number}` : `pool ${namespace}/${backend.name}`;
}
