import { VirtualServiceSpecHttp } from '../imports/networking.istio.io';
import { UserError } from './errors';
import { RequestMatch } from './match/request-match';
import { ResolvedRoute } from './route';
import { RuleDraft, StrategyContext } from './strategies/traffic-strategy';
import { istioDuration } from './values/istio-duration';

/** An Istio HTTPRoute, mutable while it is assembled. */
export type HttpRuleJson = { -readonly [K in keyof VirtualServiceSpecHttp]: VirtualServiceSpecHttp[K] };

export interface RouteTarget {
  readonly host: string;
  readonly port?: number;
}

/**
 * Turns one route into Istio HTTP rules: the fault-test rule first (if any),
 * then the strategy's rules in order, each with the route's matches ANDed
 * with the rule's own condition.
 */
export function renderRoute(route: ResolvedRoute, target: RouteTarget, context: StrategyContext): HttpRuleJson[] {
  const drafts = route.strategy.rules(context);
  const fallback = drafts[drafts.length - 1];
  const rules: HttpRuleJson[] = [];
  if (route.fault) {
    const faultDraft: RuleDraft = { ...fallback, suffix: 'fault-test', when: and(fallback.when, route.fault.onlyWhen, route.name) };
    rules.push({ ...renderDraft(route, faultDraft, target), fault: route.fault.toJson(`route "${route.name}" fault`) });
  }
  for (const draft of drafts) rules.push(renderDraft(route, draft, target));
  return rules;
}

function renderDraft(route: ResolvedRoute, draft: RuleDraft, target: RouteTarget): HttpRuleJson {
  const where = `route "${route.name}"`;
  const destination = (version: string) => ({
    host: target.host,
    subset: version,
    ...(target.port !== undefined && { port: { number: target.port } }),
  });
  const several = draft.destinations.length > 1;
  const rule: HttpRuleJson = {
    name: draft.suffix ? `${route.name}-${draft.suffix}` : route.name,
    route: draft.destinations.map((d) => ({
      destination: destination(d.version),
      ...(several && { weight: d.weight ?? 0 }),
      ...(d.addResponseHeaders && { headers: { response: { add: { ...d.addResponseHeaders } } } }),
    })),
  };
  const matches = combineMatches(route.matches, draft.when, route.name);
  if (matches.length) rule.match = matches.map((m) => m.toJson());
  const mirrors = draft.mirrors ?? [];
  if (mirrors.length === 1) {
    rule.mirror = destination(mirrors[0].version);
    rule.mirrorPercentage = { value: mirrors[0].percent.value };
  } else if (mirrors.length > 1) {
    rule.mirrors = mirrors.map((m) => ({ destination: destination(m.version), percentage: { value: m.percent.value } }));
  }
  if (route.rewrite) rule.rewrite = { uri: route.rewrite.uri };
  if (route.timeout) rule.timeout = istioDuration(route.timeout, `${where} timeout`);
  rule.retries = route.retries.toJson(`${where} retries`);
  return rule;
}

function combineMatches(matches: readonly RequestMatch[], when: RequestMatch | undefined, routeName: string): RequestMatch[] {
  if (!when) return [...matches];
  if (matches.length === 0) return [when];
  return matches.map((m) => and(m, when, routeName)!);
}

function and(a: RequestMatch | undefined, b: RequestMatch, routeName: string): RequestMatch {
  if (!a) return b;
  try {
    return a.and(b);
  } catch (err) {
    throw new UserError(`route "${routeName}": ${(err as Error).message}`);
  }
}
