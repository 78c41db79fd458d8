import {
  AuthorizationPolicySpec, AuthorizationPolicySpecAction, PeerAuthenticationSpec, PeerAuthenticationSpecMtlsMode,
} from '../../imports/security.istio.io';
import { ServiceModel } from '../model/service-model';

/** Mutual TLS only, for the pods the user's workloadLabels select. */
export function renderPeerAuthentication(model: ServiceModel): PeerAuthenticationSpec {
  return { selector: { matchLabels: { ...model.security.workloadSelector } }, mtls: { mode: PeerAuthenticationSpecMtlsMode.STRICT } };
}

/**
 * Only the allowed callers, only on the paths the routes deliver (as the pods
 * receive them). No callers: no rules, which denies every request (Istio
 * reads an empty `from` as any source, so it is never written).
 */
export function renderAuthorizationPolicy(model: ServiceModel): AuthorizationPolicySpec {
  const selector = { matchLabels: { ...model.security.workloadSelector } };
  const callers = model.security.allowedCallers ?? [];
  if (callers.length === 0) return { selector, action: AuthorizationPolicySpecAction.ALLOW };
  const paths = receivedPaths(model);
  return {
    selector,
    action: AuthorizationPolicySpecAction.ALLOW,
    rules: [{
      from: callers.map((caller) => ({ source: caller.source })),
      ...(paths && { to: [{ operation: { paths } }] }),
    }],
  };
}

/**
 * The paths the workload receives through the routes: after a rewrite, the
 * rewritten path, since the workload's sidecar authorizes what it receives.
 * Undefined (every path) when the table has a catch-all route or a route no
 * path list can express (regex, or no uri).
 */
export function receivedPaths(model: ServiceModel): string[] | undefined {
  const paths = new Set<string>();
  for (const route of model.routes) {
    if (route.isDefault) return undefined;
    for (const match of route.matches) {
      const uri = match.uri;
      if (!uri || 'regex' in uri) return undefined;
      const rewritten = route.rewrite?.uri;
      if ('exact' in uri) paths.add(rewritten ?? uri.exact);
      else paths.add(`${rewritten ?? uri.prefix}*`);
    }
  }
  return [...paths].sort();
}
