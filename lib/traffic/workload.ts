import { destinationRuleFor, DestinationRuleLookup } from './destination-rules';
import { serviceNamespace } from './hosts';
import { RequestSource } from './request';
import { sourceNamespaceOf } from './match-request';
import { TrafficModel } from './traffic-model';

/** The pods a destination reaches, as far as the YAML tells: their namespace, and the labels of the Service's selector and the subset. */
export interface DestinationWorkload {
  readonly host: string;
  readonly namespace?: string;
  /** Labels known to be on the pods (the Service's selector, when the YAML has the Service, and the subset's); other labels are unknown. */
  readonly labels: Readonly<Record<string, string>>;
  /** The client's TLS mode from the DestinationRule (subset over service); undefined: Istio's automatic mTLS. */
  readonly clientTls?: string;
}

export function workloadOf(model: TrafficModel, source: RequestSource, host: string, subset: string | null): DestinationWorkload {
  const rule = destinationRuleOf(model, source, host).rule;
  const declared = subset === null ? undefined : rule?.subsets.find((s) => s.name === subset);
  return {
    host,
    namespace: serviceNamespace(host),
    labels: { ...model.serviceSelectors.get(host), ...declared?.labels },
    clientTls: declared?.trafficPolicy?.tls?.mode ?? rule?.tlsMode,
  };
}

/** The DestinationRule the source's proxy applies to a host: its subsets are that proxy's subset clusters. */
export function destinationRuleOf(model: TrafficModel, source: RequestSource, host: string): DestinationRuleLookup {
  const proxy = { namespace: sourceNamespaceOf(source), labels: source.kind === 'sidecar' ? source.labels ?? {} : {} };
  return destinationRuleFor(model, proxy, host, serviceNamespaceOf(model, host));
}

/** Istio's namespace of the service: a Kubernetes service's own, else its ServiceEntry's. */
export function serviceNamespaceOf(model: TrafficModel, host: string): string | undefined {
  return serviceNamespace(host) ?? model.serviceEntryNamespaces.get(host);
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
