import { resolveHost, serviceNamespace } from '../traffic/hosts';
import { DestinationSpec, HttpRuleSpec } from '../traffic/specs';
import { matchKey, matchLabel } from './match-label';
import { RouteView, Share } from './service-view';

/** How a destination is named in a service's view: its subset when on the service's own host. */
export type VersionNamer = (destination: DestinationSpec) => string;

export function versionNamer(ownHost: string | undefined, namespace: string): VersionNamer {
  return (destination) => {
    const host = resolveHost(destination.host, namespace);
    if (host === ownHost) return destination.subset ?? '(any version)';
    const short = host.endsWith('.svc.cluster.local') ? host.slice(0, -'.svc.cluster.local'.length) : host;
    return destination.subset ? `${short}:${destination.subset}` : short;
  };
}

/** Whether a destination's host is not a Kubernetes service: a copy sent there leaves the mesh. */
export function leavesMesh(destination: DestinationSpec, namespace: string): boolean {
  return serviceNamespace(resolveHost(destination.host, namespace)) === undefined;
}

/** One HTTP rule as the reviewer sees it; `namespace` is the VirtualService's, where short hosts resolve. */
export function routeView(rule: HttpRuleSpec, nameOf: VersionNamer, namespace: string): RouteView {
  return {
    key: matchKey(rule.match),
    label: matchLabel(rule.match),
    conditions: rule.match ?? [],
    ...(rule.name !== undefined ? { name: rule.name } : {}),
    destinations: shares(rule, nameOf, namespace),
    mirrors: mirrors(rule, nameOf, namespace),
    ...optional('action', action(rule)),
    ...optional('rewrite', rewrite(rule)),
    ...optional('timeout', rule.timeout),
    ...optional('retries', retries(rule)),
    ...optional('fault', fault(rule)),
  };
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

/** Istio's weights are relative: each destination gets weight / total (equal shares when none is set). */
function shares(rule: HttpRuleSpec, nameOf: VersionNamer, namespace: string): Share[] {
  const route = rule.route ?? [];
  const total = route.reduce((sum, d) => sum + (d.weight ?? 0), 0);
  const byVersion = new Map<string, number>();
  const outside = new Set<string>();
  for (const d of route) {
    const share = total > 0 ? ((d.weight ?? 0) / total) * 100 : 100 / route.length;
    const version = nameOf(d.destination);
    byVersion.set(version, (byVersion.get(version) ?? 0) + share);
    if (leavesMesh(d.destination, namespace)) outside.add(version);
  }
  return sortShares([...byVersion]
    .map(([version, percent]): Share => ({ version, percent: round(percent), ...(outside.has(version) ? { outsideMesh: true } : {}) }))
    .filter((s) => s.percent > 0));
}

/** `mirror` with `mirrorPercentage` (100% when unset) and each of `mirrors`. */
function mirrors(rule: HttpRuleSpec, nameOf: VersionNamer, namespace: string): Share[] {
  const list: Share[] = [];
  const share = (destination: DestinationSpec, percent: number): Share => ({
    version: nameOf(destination), percent: round(percent), ...(leavesMesh(destination, namespace) ? { outsideMesh: true } : {}),
  });
  if (rule.mirror) list.push(share(rule.mirror, rule.mirrorPercentage?.value ?? rule.mirrorPercent ?? 100));
  for (const m of rule.mirrors ?? []) list.push(share(m.destination, m.percentage?.value ?? 100));
  return sortShares(list.filter((s) => s.percent > 0));
}

function action(rule: HttpRuleSpec): string | undefined {
  if (rule.redirect) {
    const target = [rule.redirect.authority, rule.redirect.uri].filter(Boolean).join('');
    return `redirect ${rule.redirect.redirectCode ?? 301}${target ? ` to ${target}` : ''}`;
  }
  if (rule.directResponse) return `direct response ${rule.directResponse.status}`;
  if (rule.delegate) return `delegate to ${rule.delegate.namespace ? `${rule.delegate.namespace}/` : ''}${rule.delegate.name}`;
  return undefined;
}

function rewrite(rule: HttpRuleSpec): string | undefined {
  const r = rule.rewrite;
  if (!r) return undefined;
  const parts: string[] = [];
  if (r.uri !== undefined) parts.push(`uri to ${r.uri}`);
  if (r.uriRegexRewrite) parts.push(`uri ~ ${r.uriRegexRewrite.match} to ${r.uriRegexRewrite.rewrite}`);
  if (r.authority !== undefined) parts.push(`authority to ${r.authority}`);
  return parts.length ? parts.join(', ') : undefined;
}

function retries(rule: HttpRuleSpec): string | undefined {
  const r = rule.retries;
  if (!r) return undefined;
  if (r.attempts === 0) return 'none';
  const parts = [`${r.attempts ?? 2} attempts`];
  if (r.retryOn) parts.push(`on ${r.retryOn}`);
  if (r.perTryTimeout) parts.push(`${r.perTryTimeout} per try`);
  return parts.join(' ');
}

function fault(rule: HttpRuleSpec): string | undefined {
  const f = rule.fault;
  if (!f) return undefined;
  const parts: string[] = [];
  if (f.delay) parts.push(`delay ${f.delay.fixedDelay ?? '?'} on ${f.delay.percentage?.value ?? 0}%`);
  if (f.abort) parts.push(`abort ${f.abort.httpStatus ?? f.abort.grpcStatus ?? '?'} on ${f.abort.percentage?.value ?? 0}%`);
  return parts.length ? parts.join(', ') : undefined;
}

function sortShares(list: Share[]): Share[] {
  return list.sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0));
}

function round(percent: number): number {
  return Math.round(percent * 100) / 100;
}
