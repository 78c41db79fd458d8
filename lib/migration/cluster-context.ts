type Json = Record<string, any>;

/**
 * What the cluster has that an app's outputs name but do not declare: the
 * user's own Services (those the DestinationRules are for, and those HTTPRoutes
 * attach to as GAMMA parents), and the platform's Gateways. Istio attaches a route
 * only to a parent it knows, so both outputs are asked in a cluster that has
 * these: each Service on the ports its route's backends use (the per-version
 * Services mirror the Service's ports), each Gateway with one HTTP listener on
 * port 80 for the hostnames its routes name, open to routes of every
 * namespace. The Istio output is asked with the Istio Gateway of the same
 * `namespace/name` serving the same hostnames, the Gateway API output with the
 * Kubernetes Gateway that replaces it.
 */
export function clusterContext(istioOutput: readonly unknown[], objects: readonly unknown[]): { services: Json[]; gateways: Json[]; istioGateways: Json[] } {
  const declared = new Set<string>();
  for (const o of [...istioOutput, ...objects] as Json[]) {
    if ((o?.kind === 'Service' && o.apiVersion === 'v1') || (o?.kind === 'Gateway' && String(o.apiVersion).startsWith('gateway.networking.k8s.io/'))) {
      declared.add(`${o.kind}/${o.metadata?.namespace ?? 'default'}/${o.metadata?.name}`);
    }
  }
  const services = new Map<string, Set<number>>();
  const gateways = new Map<string, Set<string>>();
  const add = <T>(map: Map<string, Set<T>>, key: string) => map.get(key) ?? map.set(key, new Set<T>()).get(key)!;
  // The Services the Istio output's DestinationRules are for, on the ports of their per-version Services.
  const servicesByNamespace = new Map<string, Json[]>();
  for (const v of objects as Json[]) {
    if (v?.kind === 'Service') pushTo(servicesByNamespace, v.metadata?.namespace ?? 'default', v);
  }
  for (const o of istioOutput as Json[]) {
    if (o?.kind !== 'DestinationRule' || typeof o.spec?.host !== 'string') continue;
    const namespace = o.metadata?.namespace ?? 'default';
    const [name, hostNamespace, svc] = o.spec.host.split('.');
    if (o.spec.host.includes('*') || (hostNamespace !== undefined && svc !== 'svc')) continue;
    const ref = `${hostNamespace ?? namespace}/${name}`;
    if (declared.has(`Service/${ref}`)) continue;
    const ports = add(services, ref);
    for (const v of servicesByNamespace.get(namespace) ?? []) {
      if (String(v.metadata?.name).startsWith(`${o.metadata?.name}-`)) {
        for (const p of v.spec?.ports ?? []) if (typeof p.port === 'number') ports.add(p.port);
      }
    }
  }
  for (const o of objects as Json[]) {
    if (o?.kind !== 'HTTPRoute') continue;
    const namespace = o.metadata?.namespace ?? 'default';
    for (const parent of o.spec?.parentRefs ?? []) {
      const ref = `${parent.namespace ?? namespace}/${parent.name}`;
      if (parent.group === '' && parent.kind === 'Service' && !declared.has(`Service/${ref}`)) {
        const ports = add(services, ref);
        if (typeof parent.port === 'number') ports.add(parent.port);
        for (const rule of o.spec?.rules ?? []) for (const b of rule.backendRefs ?? []) if (typeof b.port === 'number') ports.add(b.port);
      } else if ((parent.group ?? 'gateway.networking.k8s.io') === 'gateway.networking.k8s.io' && (parent.kind ?? 'Gateway') === 'Gateway' && !declared.has(`Gateway/${ref}`)) {
        const hostnames = add(gateways, ref);
        for (const h of o.spec?.hostnames ?? []) hostnames.add(h);
      }
    }
  }
  return {
    services: sorted(services).map(([namespace, name, ports]) => ({
      apiVersion: 'v1', kind: 'Service', metadata: { name, namespace },
      spec: { ports: ports.size ? [...ports].sort((a, b) => a - b).map((port) => ({ name: `http-${port}`, port })) : [{ name: 'http', port: 80 }] },
    })),
    istioGateways: sorted(gateways).map(([namespace, name, hostnames]) => ({
      apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name, namespace },
      spec: {
        selector: { istio: 'ingressgateway' },
        servers: [{ hosts: hostnames.size ? [...hostnames].sort().map((h) => `*/${h}`) : ['*/*'], port: { name: 'http', number: 80, protocol: 'HTTP' } }],
      },
    })),
    gateways: sorted(gateways).map(([namespace, name, hostnames]) => ({
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name, namespace },
      spec: {
        gatewayClassName: 'istio',
        listeners: (hostnames.size ? [...hostnames].sort() : [undefined]).map((hostname, i) => ({
          name: `http-${i}`, port: 80, protocol: 'HTTP', ...(hostname && { hostname }), allowedRoutes: { namespaces: { from: 'All' } },
        })),
      },
    })),
  };
}

function sorted<T>(map: Map<string, Set<T>>): Array<[string, string, Set<T>]> {
  return [...map].sort(([a], [b]) => (a < b ? -1 : 1)).map(([ref, set]) => [...ref.split('/') as [string, string], set]);
}

function pushTo(map: Map<string, Json[]>, key: string, value: Json): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
