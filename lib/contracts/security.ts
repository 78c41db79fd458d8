import { ProbeCaller, ServiceDecl } from './declaration';

/** The caller's mTLS identity, as the model's sidecar sees it. */
export function identityOf(caller: ProbeCaller): { namespace: string; serviceAccount: string } {
  if (caller.kind === 'sidecar') return { namespace: caller.namespace, serviceAccount: caller.serviceAccount };
  // Istio's default install: the gateway runs as istio-ingressgateway in the Gateway's namespace.
  return { namespace: caller.gateway.split('/')[0], serviceAccount: 'istio-ingressgateway' };
}

/**
 * Contract of `clientTls`, `strictMtls`, `allowedCallers` and `workloadLabels`,
 * for a request that reaches the model's pods (every version: the policies
 * select the pods by `workloadLabels`, which every version carries):
 * - the connection is mutual TLS unless `clientTls: DISABLE`;
 * - `strictMtls`: a connection without mutual TLS fails (503);
 * - `allowedCallers`: only a caller whose mTLS identity is listed (its service
 *   account, or any workload of its namespace) is served; anyone else, and any
 *   caller without mutual TLS, gets 403; and only on the paths the routes deliver
 *   (`deliveredPath`);
 * - none of them: everyone is served.
 */
export function securityStatus(decl: ServiceDecl, caller: ProbeCaller, deliveredPath: boolean): 200 | 403 | 503 {
  const mutualTls = decl.clientTls !== 'DISABLE';
  if (decl.strictMtls && !mutualTls) return 503;
  if (decl.allowedCallers === undefined) return 200;
  if (!mutualTls) return 403;
  const identity = identityOf(caller);
  const listed = decl.allowedCallers.some((c) => c.namespace === identity.namespace && (c.serviceAccount === undefined || c.serviceAccount === identity.serviceAccount));
  return listed && deliveredPath ? 200 : 403;
}
