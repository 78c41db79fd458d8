import { blockFitsProxy, HttpMatchSpec, matchBlockHolds, MatchContext } from './match-request';
import { RequestView } from './request-view';
import { HttpRuleSpec } from './specs';
import { resolveGatewayName, RoutedVirtualService, TrafficModel } from './traffic-model';

/** The first http rule that takes the request, and the VirtualService that holds it. */
export interface MatchedRule {
  readonly virtualService: RoutedVirtualService;
  readonly rule: HttpRuleSpec;
  readonly index: number;
  /** The match block that held; undefined for a rule without blocks. */
  readonly block?: HttpMatchSpec;
}

/**
 * Istio's rule evaluation: rules in order, the first whose match blocks
 * (ORed; a rule without blocks matches everything) hold. A rule that
 * delegates continues in the delegate's rules, which must match too.
 */
export function firstMatchingRule(
  model: TrafficModel,
  virtualServices: readonly RoutedVirtualService[],
  request: RequestView,
  context: Omit<MatchContext, 'resolveGateway'>,
): MatchedRule | undefined {
  for (const vs of virtualServices) {
    const matched = matchIn(model, vs, request, context);
    if (matched) return matched;
  }
  return undefined;
}

function matchIn(model: TrafficModel, vs: RoutedVirtualService, request: RequestView, context: Omit<MatchContext, 'resolveGateway'>): MatchedRule | undefined {
  const full: MatchContext = { ...context, resolveGateway: (name) => resolveGatewayName(name, vs.namespace) };
  for (let index = 0; index < vs.http.length; index++) {
    const rule = vs.http[index];
    const block = blockThatHolds(rule.match, request, full);
    if (block === false) continue;
    if (!rule.delegate) return { virtualService: vs, rule, index, block };
    const delegate = model.virtualServiceByRef.get(`${rule.delegate.namespace ?? vs.namespace}/${rule.delegate.name}`);
    // The delegate's rules take the root rule's place; a missing delegate contributes none.
    const inner = delegate && matchIn(model, delegate, request, context);
    if (inner) return inner;
  }
  return undefined;
}

/** The first block that holds, undefined when the rule has none (it matches all), false when none holds. */
function blockThatHolds(blocks: readonly HttpMatchSpec[] | undefined, request: RequestView, context: MatchContext): HttpMatchSpec | undefined | false {
  if (!blocks || blocks.length === 0) return undefined;
  return blocks.find((block) => matchBlockHolds(block, request, context)) ?? false;
}

/**
 * Whether any rule of the VirtualService is in this proxy's routes: Istio
 * leaves out the match blocks that do not fit the proxy (gateway, port,
 * source), and a rule with none left. A VirtualService with no rule left
 * routes nothing there, and the host falls back to its default route.
 */
export function hasRulesForProxy(vs: RoutedVirtualService, port: number, context: Omit<MatchContext, 'resolveGateway'>): boolean {
  const full: MatchContext = { ...context, resolveGateway: (name) => resolveGatewayName(name, vs.namespace) };
  return vs.http.some((rule) => !rule.match || rule.match.length === 0 || rule.match.some((block) => blockFitsProxy(block, port, full)));
}
