import { ExplainedDestination, ExplainedMirror } from './explanation';
import { resolveHost } from './hosts';
import { re2ReplaceAll } from './regex-cache';
import { RequestView } from './request-view';
import { DestinationSpec, HttpRuleSpec } from './specs';

/**
 * Destinations with each one's share of this request's traffic in percent.
 * Istio's weights are relative; a destination of weight 0 gets nothing and
 * is left out, as Istio leaves it out of Envoy's weighted clusters.
 */
export function destinationsOf(rule: HttpRuleSpec, namespace: string): ExplainedDestination[] {
  const routes = rule.route ?? [];
  if (routes.length === 1) return [{ ...destination(routes[0].destination, namespace), weight: 100 }];
  const total = routes.reduce((sum, r) => sum + (r.weight ?? 0), 0);
  return routes
    .filter((r) => (r.weight ?? 0) > 0)
    .map((r) => ({ ...destination(r.destination, namespace), weight: round((100 * (r.weight ?? 0)) / total) }));
}

/** `mirror` with `mirrorPercentage` (or the deprecated `mirrorPercent`), or `mirrors`; 100% when unset. */
export function mirrorsOf(rule: HttpRuleSpec, namespace: string): ExplainedMirror[] {
  if (rule.mirror) {
    const percentage = rule.mirrorPercentage?.value ?? rule.mirrorPercent ?? 100;
    return percentage > 0 ? [{ ...destination(rule.mirror, namespace), percentage }] : [];
  }
  return (rule.mirrors ?? [])
    .map((m) => ({ ...destination(m.destination, namespace), percentage: m.percentage?.value ?? 100 }))
    .filter((m) => m.percentage > 0);
}

function destination(spec: DestinationSpec, namespace: string) {
  return {
    // "": a backendRef Istio could not resolve (it names no host).
    host: spec.host === '' ? '' : resolveHost(spec.host, namespace),
    subset: spec.subset ?? null,
    ...(spec.port?.number !== undefined && { port: spec.port.number }),
  };
}

/**
 * The path and authority the destination receives. `rewrite.uri` replaces
 * the part of the path the rule's uri matched: the prefix for a prefix
 * match, the whole path otherwise; a rule without a uri match is a prefix
 * match on "/". The query string is kept.
 */
export function rewrittenRequest(rule: HttpRuleSpec, matchedUri: { prefix?: string } | undefined, request: RequestView, gatewaySemantics = false): { path: string; host: string } {
  const rewrite = rule.rewrite;
  const host = rewrite?.authority ?? authoritySetBy(rule) ?? request.authority;
  if (!rewrite) return { path: request.path, host };
  const query = request.path.slice(request.pathOnly.length);
  if (rewrite.uriRegexRewrite) {
    return { path: re2ReplaceAll(rewrite.uriRegexRewrite.match, request.pathOnly, rewrite.uriRegexRewrite.rewrite) + query, host };
  }
  if (rewrite.uri === undefined) return { path: request.path, host };
  if (gatewaySemantics && rewrite.uri === '/') {
    // Istio removes the prefix with the regex `^<prefix>(/?)(.*)` → `/\2`, so that a path that was all prefix becomes `/`.
    const prefix = matchedUri?.prefix !== undefined && matchedUri.prefix !== '/' ? matchedUri.prefix.replace(/\/$/, '') : '';
    return { path: `/${request.pathOnly.slice(prefix.length).replace(/^\//, '')}${query}`, host };
  }
  if (matchedUri === undefined) return { path: rewrite.uri + request.path.slice(1), host };
  if (matchedUri.prefix !== undefined) return { path: rewrite.uri + request.path.slice(matchedUri.prefix.length), host };
  return { path: rewrite.uri + query, host };
}

/** Istio turns `headers.request.set` of `Host` or `:authority` into Envoy's host rewrite. */
export function authoritySetBy(rule: HttpRuleSpec): string | undefined {
  const set = (rule.headers as { request?: { set?: Record<string, string> } } | undefined)?.request?.set ?? {};
  const key = Object.keys(set).find((name) => name.toLowerCase() === 'host' || name.toLowerCase() === ':authority');
  return key === undefined ? undefined : set[key];
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
