// What a cluster holds beside a generated app's Gateway API objects: the Service a mesh
// route's parentRef names (the service's own Service, which the library does not write) and
// the Gateway an ingress route's names. Both judges of the gateway-api phase read it.
// Pure (objects in, objects out).

/** The Services and Gateways the routes' parentRefs name that the objects lack: a Service on the backends' ports, a Gateway with one HTTP listener on port 80 for all namespaces. */
export function clusterContext(objects) {
  const has = (kind, ns, name) => objects.some((o) => o.kind === kind && (o.metadata?.namespace ?? 'default') === ns && o.metadata?.name === name);
  const out = new Map();
  for (const route of objects.filter((o) => o.kind === 'HTTPRoute')) {
    const ns = route.metadata?.namespace ?? 'default';
    for (const p of route.spec?.parentRefs ?? []) {
      const parentNs = p.namespace ?? ns;
      if (p.kind === 'Service' && !has('Service', parentNs, p.name)) {
        const ports = [...new Set((route.spec.rules ?? []).flatMap((r) => (r.backendRefs ?? []).map((b) => b.port ?? 80)))];
        out.set(`Service ${parentNs}/${p.name}`, { apiVersion: 'v1', kind: 'Service', metadata: { name: p.name, namespace: parentNs }, spec: { selector: { app: p.name }, ports: (ports.length ? ports : [80]).map((port) => ({ name: `http-${port}`, port })) } });
      } else if ((p.kind ?? 'Gateway') === 'Gateway' && !has('Gateway', parentNs, p.name)) {
        out.set(`Gateway ${parentNs}/${p.name}`, {
          apiVersion: 'gateway.networking.k8s.io/v1',
          kind: 'Gateway',
          metadata: { name: p.name, namespace: parentNs },
          spec: { gatewayClassName: 'istio', listeners: [{ name: p.sectionName ?? 'http', port: p.port ?? 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } }] },
        });
      }
    }
  }
  return [...out.values()];
}
