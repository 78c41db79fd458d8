import { policyMatches, ReceivedRequest } from './authorization';
import { ModelAuthorizationPolicy } from './traffic-model';

/** What a workload requires of the requests it serves, as far as the YAML tells. */
export interface WorkloadSecurity {
  /** The AuthorizationPolicies that select the workload, any action. */
  readonly policies: readonly ModelAuthorizationPolicy[];
  /** The PeerAuthentication mode (STRICT, PERMISSIVE, DISABLE), and per port where `portLevelMtls` sets one. */
  readonly mtls: string;
  readonly portMtls: Readonly<Record<string, string>>;
  /** The DestinationRule's client TLS mode (undefined: Istio's automatic mTLS), and per port. */
  readonly clientTls?: string;
  readonly clientPortTls: Readonly<Record<string, string>>;
}

/**
 * How a workload answers a request, from the weakest to the strongest:
 * `refused` (mTLS refuses the connection), `denied` (authorization),
 * `checked` (served only if a CUSTOM policy's external authorizer agrees),
 * `allowed`.
 */
export type Access = 'refused' | 'denied' | 'checked' | 'allowed';

export const ACCESS_RANK: Readonly<Record<Access, number>> = { refused: 0, denied: 0, checked: 1, allowed: 2 };

/**
 * Istio's order at the workload's sidecar: the connection (the caller's
 * sidecar speaks Istio mTLS unless the DestinationRule says otherwise; a
 * caller without one speaks plain text), then CUSTOM, DENY and ALLOW
 * policies. A caller's identity reaches the policies only over mTLS.
 */
export function accessOf(security: WorkloadSecurity, request: ReceivedRequest, fromSidecar: boolean): Access {
  const port = String(request.port);
  const serverMode = effectiveMode(security.portMtls[port], security.mtls);
  const client = fromSidecar ? security.clientPortTls[port] ?? security.clientTls : 'DISABLE';
  const mutualTls = (client === undefined || client === 'ISTIO_MUTUAL') && serverMode !== 'DISABLE';
  if (client === 'ISTIO_MUTUAL' && serverMode === 'DISABLE') return 'refused';
  if (!mutualTls && serverMode === 'STRICT') return 'refused';
  const seen: ReceivedRequest = mutualTls ? request : { ...request, principal: undefined, namespace: undefined };
  const applying = security.policies;
  if (applying.some((p) => p.action === 'DENY' && policyMatches(p, seen))) return 'denied';
  const allows = applying.filter((p) => p.action === 'ALLOW');
  if (allows.length && !allows.some((p) => policyMatches(p, seen))) return 'denied';
  return applying.some((p) => p.action === 'CUSTOM' && policyMatches(p, seen)) ? 'checked' : 'allowed';
}

/** A port's mode overrides the workload's unless it is UNSET. */
export function effectiveMode(portMode: string | undefined, mode: string): string {
  return portMode === undefined || portMode === 'UNSET' ? mode : portMode;
}
