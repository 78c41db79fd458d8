// Compares the endpoint picker Envoy's route asks (the simulate harness reads the route's
// ext_proc override: cluster `outbound|<port>||<picker FQDN>` and failure_mode_allow) with what
// `explain` says (Explanation.endpointPicker), for a request both route through a gateway.
// Istio keeps one picker per HTTPRoute rule, the last backend's; explain must name that one,
// and none where Istio sets none.

/** The differing field, if any: [{ field: 'endpointPicker', envoy, ours }]. */
export function compareEndpointPicker(request, envoy, ours) {
  if (envoy.status !== 200 || ours.status !== 200 || request.from?.kind !== 'gateway') return [];
  const envoyPicker = envoy.endpointPicker ? { cluster: envoy.endpointPicker.cluster, failOpen: Boolean(envoy.endpointPicker.failureModeAllow) } : null;
  const asked = ours.endpointPicker?.service ?? null;
  const ourPicker = asked === null ? null : { cluster: clusterOf(asked), failOpen: ours.endpointPicker.failureMode === 'FailOpen' };
  return JSON.stringify(envoyPicker) === JSON.stringify(ourPicker) ? [] : [{ field: 'endpointPicker', envoy: envoyPicker, ours: ourPicker }];
}

/** `ns/name:port` as Istio's cluster name for it. */
function clusterOf(service) {
  const [, namespace, name, port] = /^([^/]+)\/([^:]+):(\d+)$/.exec(service);
  return `outbound|${port}||${name}.${namespace}.svc.cluster.local`;
}
