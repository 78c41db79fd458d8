/**
 * Which DestinationRule a proxy applies to a host, as Istio 1.30 decides it
 * (pilot/pkg/model: PushContext.setDestinationRules, mergeDestinationRule,
 * PushContext.destinationRule, SidecarScope.DestinationRule). Its subsets are
 * the subset clusters that proxy has: a route to any other subset finds no
 * cluster, and Envoy answers 503.
 */
import { hostSubsetOf } from '../validation/core/hosts';
import { SubsetSpec } from './specs';
import { ModelDestinationRule, ROOT_NAMESPACE, TrafficModel } from './traffic-model';

/** The proxy that sends the request: its config namespace and workload labels. */
export interface ProxyIdentity {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** DestinationRules merged into the one a proxy applies (Istio's ConsolidatedDestRule). */
export interface AppliedDestinationRule {
  /** `ns/name` of each DestinationRule merged in, the first one's settings kept. */
  readonly refs: readonly string[];
  readonly subsets: readonly SubsetSpec[];
  /** The top-level tls mode, from the first merged rule that has a traffic policy. */
  readonly tlsMode?: string;
}

/**
 * The rule a proxy applies, if any. `certain` is false when the lookup had
 * to skip the service's namespace, which the YAML does not tell (no
 * Kubernetes service name, no ServiceEntry): a rule there may apply instead.
 */
export interface DestinationRuleLookup {
  readonly rule?: AppliedDestinationRule;
  readonly certain: boolean;
}

interface Consolidated {
  readonly exportTo: ReadonlySet<string>;
  readonly selector?: Readonly<Record<string, string>>;
  readonly namespace: string;
  readonly refs: string[];
  readonly subsets: SubsetSpec[];
  hasTrafficPolicy: boolean;
  tlsMode?: string;
}

/**
 * Istio's lookup: the DestinationRules of the proxy's namespace (exported
 * there or private), else those the service's namespace exports to it, else
 * those the root namespace exports to it; in each, the most specific host.
 * `serviceNamespace` undefined: the YAML does not say, and that step is skipped.
 */
export function destinationRuleFor(model: TrafficModel, proxy: ProxyIdentity, host: string, serviceNamespace: string | undefined): DestinationRuleLookup {
  const candidates = sortedAsIstio([
    ...(model.destinationRulesByHost.get(host) ?? []),
    ...model.wildcardDestinationRules.filter((dr) => hostSubsetOf(host, dr.host)),
  ]);
  const local = proxy.namespace !== ROOT_NAMESPACE
    ? consolidatedForHost(candidates.filter((dr) => dr.namespace === proxy.namespace && isNamespaceLocal(dr)), host)
    : consolidatedForHost(candidates.filter((dr) => dr.namespace === ROOT_NAMESPACE && isPrivateOnly(dr)), host);
  if (local) return { rule: applied(local, proxy), certain: true };
  for (const namespace of [serviceNamespace, ROOT_NAMESPACE]) {
    if (namespace === undefined) continue;
    const exported = consolidatedForHost(candidates.filter((dr) => dr.namespace === namespace && !isPrivateOnly(dr)), host)
      ?.filter((c) => c.exportTo.size === 0 || c.exportTo.has('*') || c.exportTo.has(proxy.namespace));
    if (exported && exported.length) return { rule: applied(exported, proxy), certain: serviceNamespace !== undefined };
  }
  return { certain: serviceNamespace !== undefined };
}

/**
 * SidecarScope.DestinationRule: a rule of the proxy's own namespace whose
 * workload selector picks the proxy, else the last rule without a selector.
 */
function applied(list: readonly Consolidated[], proxy: ProxyIdentity): AppliedDestinationRule | undefined {
  let catchAll: Consolidated | undefined;
  for (const c of list) {
    if (c.selector === undefined) catchAll = c;
    else if (c.namespace === proxy.namespace && Object.entries(c.selector).every(([k, v]) => proxy.labels[k] === v)) return view(c);
  }
  return catchAll && view(catchAll);
}

function view(c: Consolidated): AppliedDestinationRule {
  return { refs: [...c.refs], subsets: [...c.subsets], ...(c.tlsMode !== undefined && { tlsMode: c.tlsMode }) };
}

/** The rules of one index for the most specific host that covers `host` (MostSpecificHostMatch), merged; undefined when none. */
function consolidatedForHost(rules: readonly ModelDestinationRule[], host: string): Consolidated[] | undefined {
  if (rules.length === 0) return undefined;
  const exact = rules.filter((dr) => dr.host === host);
  const best = exact.length ? host : rules.map((dr) => dr.host).reduce((a, b) => (b.length > a.length ? b : a));
  return consolidate(rules.filter((dr) => dr.host === best));
}

/**
 * mergeDestinationRule with ENABLE_ENHANCED_DESTINATIONRULE_MERGE (on by
 * default): a rule joins an earlier one with the same exportTo set (and the
 * same selector, or none on either); its subsets are added unless one of that
 * name is there, its traffic policy only if the earlier has none. Otherwise it
 * stands alone.
 */
function consolidate(rules: readonly ModelDestinationRule[]): Consolidated[] {
  const out: Consolidated[] = [];
  for (const dr of rules) {
    const exportTo = exportToSet(dr);
    let alone = true;
    for (const existing of out) {
      if (sameSet(exportTo, existing.exportTo)) alone = false;
      else if (existing.exportTo.size > 0 && isSuperset(exportTo, existing.exportTo)) alone = true;
      else continue;
      const bothWithout = dr.workloadSelector === undefined && existing.selector === undefined;
      const bothWith = dr.workloadSelector !== undefined && existing.selector !== undefined;
      const selectorsMatch = sameLabels(dr.workloadSelector, existing.selector);
      if (bothWith && !selectorsMatch) {
        alone = true;
        continue;
      }
      if (bothWithout || bothWith) alone = false;
      existing.refs.push(dr.ref);
      for (const subset of dr.subsets) if (!existing.subsets.some((s) => s.name === subset.name)) existing.subsets.push(subset);
      if (!existing.hasTrafficPolicy && dr.hasTrafficPolicy) {
        existing.hasTrafficPolicy = true;
        existing.tlsMode = dr.tlsMode;
      }
    }
    if (alone) {
      out.push({
        exportTo,
        selector: dr.workloadSelector,
        namespace: dr.namespace,
        refs: [dr.ref],
        subsets: [...dr.subsets],
        hasTrafficPolicy: dr.hasTrafficPolicy,
        tlsMode: dr.tlsMode,
      });
    }
  }
  return out;
}

/** A rule with a workload selector is never exported: Istio gives it exportTo `.`. */
function exportToSet(dr: ModelDestinationRule): ReadonlySet<string> {
  return new Set(dr.workloadSelector !== undefined ? ['.'] : dr.exportToAsWritten);
}

/** In the index of its own namespace: exported everywhere, privately, or to that namespace by name. */
function isNamespaceLocal(dr: ModelDestinationRule): boolean {
  const set = exportToSet(dr);
  return set.size === 0 || set.has('*') || set.has('.') || set.has(dr.namespace);
}

/** Visible in its own namespace only (the mesh's default exportTo is `*`). */
function isPrivateOnly(dr: ModelDestinationRule): boolean {
  const set = exportToSet(dr);
  return set.size === 1 && (set.has('.') || set.has(dr.namespace));
}

/** sortConfigBySelectorAndCreationTime: rules with a selector first, then oldest first, then by name and namespace. */
function sortedAsIstio(rules: readonly ModelDestinationRule[]): ModelDestinationRule[] {
  const time = (dr: ModelDestinationRule) => (dr.creationTimestamp === undefined ? -Infinity : Date.parse(dr.creationTimestamp));
  const name = (dr: ModelDestinationRule) => dr.ref.slice(dr.namespace.length + 1);
  return [...rules].sort((a, b) =>
    Number(b.workloadSelector !== undefined) - Number(a.workloadSelector !== undefined)
    || time(a) - time(b)
    || compare(name(a), name(b))
    || compare(a.namespace, b.namespace));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

function isSuperset(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return [...b].every((x) => a.has(x));
}

function sameLabels(a: Readonly<Record<string, string>> | undefined, b: Readonly<Record<string, string>> | undefined): boolean {
  const ea = Object.entries(a ?? {});
  return ea.length === Object.keys(b ?? {}).length && ea.every(([k, v]) => (b ?? {})[k] === v);
}
