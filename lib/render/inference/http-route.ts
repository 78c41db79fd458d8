import { BASE_MODEL_HEADER, LlmServiceModel } from '../../llm/resolve-llm-service';

/**
 * The HTTPRoute at the service's Gateways: one rule per route, matching the
 * base-model header the body-based router sets (and the path prefix), with
 * weighted InferencePool backends. A pool in another namespace is named
 * with its namespace (a ReferenceGrant there allows it).
 */
export function renderHttpRoute(model: LlmServiceModel): Record<string, unknown> {
  return {
    parentRefs: model.gateways.map((gateway) => {
      const [namespace, name] = gateway.split('/');
      return { group: 'gateway.networking.k8s.io', kind: 'Gateway', name, namespace };
    }),
    ...(model.hostnames.length > 0 && { hostnames: [...model.hostnames] }),
    rules: model.rules.map((rule) => ({
      name: rule.name,
      matches: [{
        path: { type: 'PathPrefix', value: rule.pathPrefix },
        headers: [{ type: 'Exact', name: BASE_MODEL_HEADER, value: rule.baseModel }],
      }],
      backendRefs: rule.backends.map(({ pool, weight }) => ({
        group: 'inference.networking.k8s.io',
        kind: 'InferencePool',
        name: pool.name,
        ...(pool.namespace !== model.namespace && { namespace: pool.namespace }),
        ...(weight !== undefined && { weight }),
      })),
      timeouts: { request: model.timeout },
    })),
  };
}
