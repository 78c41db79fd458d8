/**
 * Kubernetes Gateways that HTTPRoutes name but the input does not hold (the
 * platform team's, applied from another repository). As for Istio Gateways
 * (gateway-virtual-hosts.ts), such a Gateway is taken as Istio's, with a
 * listener for every host that admits the route: its routes are explained as
 * bound to `ns/name`, which `explain --gateway ns/name` enters by. A Gateway
 * among the input is read as written, and one of another class stays unbound.
 */
import { ListenerParent } from './kube-gateways';

type Json = { readonly [key: string]: any };

export function absentGatewayListeners(routes: ReadonlyArray<{ readonly object: Json }>, present: ReadonlySet<string>): Map<string, ListenerParent[]> {
  const listeners = new Map<string, ListenerParent[]>();
  for (const { object } of routes) {
    const namespace: string = object.metadata?.namespace ?? 'default';
    for (const reference of object.spec?.parentRefs ?? []) {
      if ((reference.group ?? 'gateway.networking.k8s.io') !== 'gateway.networking.k8s.io' || (reference.kind ?? 'Gateway') !== 'Gateway') continue;
      const ref = `${reference.namespace ?? namespace}/${reference.name}`;
      if (present.has(ref)) continue;
      const sectionName = reference.sectionName === undefined ? '' : String(reference.sectionName);
      const port = reference.port === undefined ? 0 : Number(reference.port);
      const known = listeners.get(ref) ?? [];
      if (known.some((l) => l.sectionName === sectionName && l.port === port)) continue;
      known.push({ internalName: ref, sectionName, port, protocol: 'HTTP', hostnames: ['*/*'], originalHostname: '', allowedKinds: ['gateway.networking.k8s.io/HTTPRoute'] });
      listeners.set(ref, known);
    }
  }
  return listeners;
}
