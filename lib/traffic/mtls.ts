import { NO_PORTS, ROOT_NAMESPACE, TrafficModel } from './traffic-model';
import { DestinationWorkload, selectorPicks } from './workload';

/** How the request reaches the workload, and with whose identity. */
export interface Connection {
  /** Istio mutual TLS: the caller's identity (principal, namespace) is known to the workload. */
  readonly mutualTls: boolean;
  /** Set when the connection fails (the client gets a 503). */
  readonly failure?: string;
  /** The workload's PeerAuthentication mode (PERMISSIVE unless a policy says otherwise). */
  readonly serverMode: string;
}

/**
 * Client TLS (DestinationRule, or Istio's automatic mTLS) against the
 * workload's PeerAuthentication: the workload's own policy, else its
 * namespace's, else the root namespace's, else PERMISSIVE; UNSET inherits.
 */
export function connectionTo(model: TrafficModel, workload: DestinationWorkload): Connection {
  const serverMode = peerAuthenticationMode(model, workload);
  const client = workload.clientTls;
  if (client === undefined) return { mutualTls: serverMode !== 'DISABLE', serverMode };
  if (client === 'ISTIO_MUTUAL') {
    return serverMode === 'DISABLE'
      ? { mutualTls: false, serverMode, failure: 'the DestinationRule sends Istio mTLS to a workload whose PeerAuthentication is DISABLE' }
      : { mutualTls: true, serverMode };
  }
  if (serverMode === 'STRICT') {
    return { mutualTls: false, serverMode, failure: `the DestinationRule's tls mode ${client} is not Istio mTLS, and the workload's PeerAuthentication is STRICT` };
  }
  return { mutualTls: false, serverMode };
}

function peerAuthenticationMode(model: TrafficModel, workload: DestinationWorkload): string {
  const local = workload.namespace === undefined ? [] : model.peerAuthenticationsByNamespace.get(workload.namespace) ?? [];
  const own = ownPeerAuthentication(model, workload);
  const namespaceWide = local.find((pa) => !hasSelector(pa.selector));
  const meshWide = (model.peerAuthenticationsByNamespace.get(ROOT_NAMESPACE) ?? []).find((pa) => !hasSelector(pa.selector));
  for (const pa of [own, namespaceWide, meshWide]) {
    if (pa?.mode && pa.mode !== 'UNSET') return pa.mode;
  }
  return 'PERMISSIVE';
}

/** The modes `portLevelMtls` sets per port, from the PeerAuthentication that selects the workload (only those may set them). */
export function portMtlsModes(model: TrafficModel, workload: DestinationWorkload): Readonly<Record<string, string>> {
  return ownPeerAuthentication(model, workload)?.portModes ?? NO_PORTS;
}

function ownPeerAuthentication(model: TrafficModel, workload: DestinationWorkload) {
  const local = workload.namespace === undefined ? [] : model.peerAuthenticationsByNamespace.get(workload.namespace) ?? [];
  return local.find((pa) => hasSelector(pa.selector) && selectorPicks(pa.selector, workload).picks);
}

function hasSelector(selector: Readonly<Record<string, string>> | undefined): boolean {
  return selector !== undefined && Object.keys(selector).length > 0;
}
