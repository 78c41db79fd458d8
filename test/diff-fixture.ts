import { Change, diffRevisions, revisionOf, TrafficDiff } from '../lib/diff';

type Json = Record<string, any>;

/** Istio objects of one service `ml/m`: a DestinationRule with subsets v1, v2, and a VirtualService with `http`. */
export function service(http: Json[], extra: { hosts?: string[]; gateways?: string[]; subsets?: string[] } = {}): Json[] {
  return [
    {
      apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'm', namespace: 'ml' },
      spec: { host: 'm', subsets: (extra.subsets ?? ['v1', 'v2']).map((name) => ({ name, labels: { version: name } })) },
    },
    {
      apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'm', namespace: 'ml' },
      spec: { hosts: extra.hosts ?? ['m'], ...(extra.gateways ? { gateways: extra.gateways } : {}), http },
    },
  ];
}

export const to = (subset: string, weight?: number): Json => ({ destination: { host: 'm', subset }, ...(weight === undefined ? {} : { weight }) });
export const prefix = (path: string): Json[] => [{ uri: { prefix: path } }];

export function diffObjects(before: Json[], after: Json[]): TrafficDiff {
  return diffRevisions(revisionOf(before), revisionOf(after));
}

/** The changes of the changed services and objects, without their messages; the messages separately. */
export function changesOf(before: Json[], after: Json[]): { changes: Omit<Change, 'message'>[]; messages: string[] } {
  const diff = diffObjects(before, after);
  const changes = [...diff.services, ...diff.objects].flatMap((s) => s.changes);
  return { changes: changes.map(({ message: _m, ...rest }) => rest), messages: changes.map((c) => c.message) };
}

export function authorizationPolicy(name: string, spec: Json): Json {
  return { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name, namespace: 'ml' }, spec };
}

export function peerAuthentication(mode: string): Json {
  return { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'm', namespace: 'ml' }, spec: { selector: { matchLabels: { version: 'v1' } }, mtls: { mode } } };
}
