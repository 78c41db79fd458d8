import { hostSubsetOf } from '../validation/core/hosts';
import { serviceNamespace } from './hosts';
import { RequestSource } from './request';
import { sourceNamespaceOf } from './match-request';
import { ModelDestinationRule, ROOT_NAMESPACE, TrafficModel, visibleFrom } from './traffic-model';

/** The pods a destination reaches, as far as the YAML tells: their namespace and the subset's labels. */
export interface DestinationWorkload {
  readonly host: string;
  readonly namespace?: string;
  /** Labels known to be on the pods (the subset's); other labels are unknown. */
  readonly labels: Readonly<Record<string, string>>;
  /** The client's TLS mode from the DestinationRule (subset over service); undefined: Istio's automatic mTLS. */
  readonly clientTls?: string;
}

export function workloadOf(model: TrafficModel, source: RequestSource, host: string, subset: string | null): DestinationWorkload {
  const rule = destinationRuleFor(model, sourceNamespaceOf(source), host);
  const declared = subset === null ? undefined : rule?.subsets.find((s) => s.name === subset);
  return {
    host,
    namespace: serviceNamespace(host),
    labels: { ...(declared?.labels ?? {}) },
    clientTls: declared?.trafficPolicy?.tls?.mode ?? rule?.tlsMode,
  };
}

/**
 * The DestinationRule a proxy applies to a host: Istio looks in the
 * proxy's namespace, then the service's, then the root namespace; an exact
 * host before a wildcard.
 */
function destinationRuleFor(model: TrafficModel, proxyNamespace: string, host: string): ModelDestinationRule | undefined {
  const visible = (dr: ModelDestinationRule) => visibleFrom(dr.exportTo, dr.namespace, proxyNamespace);
  const exact = (model.destinationRulesByHost.get(host) ?? []).filter(visible);
  const wildcards = model.wildcardDestinationRules.filter((dr) => hostSubsetOf(host, dr.host) && visible(dr));
  for (const namespace of [proxyNamespace, serviceNamespace(host), ROOT_NAMESPACE]) {
    if (namespace === undefined) continue;
    const found = exact.find((dr) => dr.namespace === namespace)
      ?? wildcards.filter((dr) => dr.namespace === namespace).sort((a, b) => b.host.length - a.host.length)[0];
    if (found) return found;
  }
  return undefined;
}

/**
 * Whether a selector picks the workload, as Kubernetes selects pods: every
 * selector label must be on them. Only the subset's labels are known from
 * the routing objects, so a selector naming another label does not pick the
 * workload; `unknown` lists such labels so that explanations can say so.
 */
export function selectorPicks(selector: Readonly<Record<string, string>> | undefined, workload: DestinationWorkload): { picks: boolean; unknown: string[] } {
  const unknown = Object.entries(selector ?? {}).filter(([key]) => !(key in workload.labels)).map(([key, value]) => `${key}=${value}`);
  const contradicts = Object.entries(selector ?? {}).some(([key, value]) => key in workload.labels && workload.labels[key] !== value);
  return { picks: !contradicts && unknown.length === 0, unknown: contradicts ? [] : unknown };
}
