import { isCatchAllBlock } from './catch-all';
import { blockFitsProxy, HttpMatchSpec, matchBlockHolds, MatchContext } from './match-request';
import { RequestSource } from './request';
import { RequestView } from './request-view';
import { HttpRuleSpec } from './specs';
import { resolveGatewayName, RoutedVirtualService, TrafficModel, visibleFrom } from './traffic-model';

/**
 * One Envoy route: a rule's match block (a rule without blocks is one route
 * that matches everything). A root rule that delegates becomes one route per
 * block of the delegate's rules, each also bound by the root's block.
 */
export interface RouteEntry {
  /** The VirtualService whose rule applies (the delegate, for a delegated rule). */
  readonly virtualService: RoutedVirtualService;
  readonly rule: HttpRuleSpec;
  readonly index: number;
  readonly block?: HttpMatchSpec;
  /** For a delegate's rule: the root rule's block, which must hold too, and its VirtualService. */
  readonly rootBlock?: HttpMatchSpec;
  readonly root?: RoutedVirtualService;
  /** `mesh`, or the Gateway whose server brought the VirtualService in. */
  readonly binding: string;
}

/** The route that takes the request, and the match block that held (its uri decides rewrites). */
export interface MatchedRule {
  readonly virtualService: RoutedVirtualService;
  readonly rule: HttpRuleSpec;
  readonly index: number;
  /** The block whose uri matched; undefined for a rule without blocks. */
  readonly block?: HttpMatchSpec;
}

/**
 * Istio's BuildHTTPRoutesForVirtualService: a VirtualService's routes on one
 * proxy and port. Blocks that do not fit the proxy (gateway, port, source)
 * are left out, and nothing after the first route that matches everything
 * (no match, prefix `/` or regex `.*` alone) is kept.
 */
export function routesOf(model: TrafficModel, vs: RoutedVirtualService, port: number, source: RequestSource, binding: string): RouteEntry[] {
  const routes: RouteEntry[] = [];
  const fits = (owner: RoutedVirtualService, block: HttpMatchSpec | undefined) =>
    block === undefined || blockFitsProxy(block, port, contextFor(owner, source, binding));
  for (let index = 0; index < vs.http.length; index++) {
    const rule = vs.http[index];
    const blocks = rule.match?.length ? rule.match : [undefined];
    for (const block of blocks) {
      if (!fits(vs, block)) continue;
      const entries = rule.delegate ? delegatedRoutes(model, vs, rule, block, fits, binding) : [{ virtualService: vs, rule, index, block, binding }];
      for (const entry of entries) {
        routes.push(entry);
        if (isCatchAllBlock(entry.block) && isCatchAllBlock(entry.rootBlock)) return routes;
      }
    }
  }
  return routes;
}

/** A delegate's rules in the root rule's place; a delegate that is missing or not exported to the root's namespace gives none. */
function delegatedRoutes(
  model: TrafficModel,
  root: RoutedVirtualService,
  rule: HttpRuleSpec,
  rootBlock: HttpMatchSpec | undefined,
  fits: (owner: RoutedVirtualService, block: HttpMatchSpec | undefined) => boolean,
  binding: string,
): RouteEntry[] {
  const delegate = model.virtualServiceByRef.get(`${rule.delegate!.namespace ?? root.namespace}/${rule.delegate!.name}`);
  if (!delegate || delegate.hosts.length > 0 || !visibleFrom(delegate.exportTo, delegate.namespace, root.namespace)) return [];
  return delegate.http.flatMap((inner, index) => (inner.delegate ? [] : (inner.match?.length ? inner.match : [undefined]))
    .filter((block) => fits(delegate, block))
    .map((block) => ({ virtualService: delegate, rule: inner, index, block, rootBlock, root, binding })));
}

/** Envoy's route matching: the first route whose blocks hold. */
export function firstMatchingRoute(routes: readonly RouteEntry[], request: RequestView, source: RequestSource): MatchedRule | undefined {
  for (const route of routes) {
    const holds = (owner: RoutedVirtualService, block: HttpMatchSpec | undefined) =>
      block === undefined || matchBlockHolds(block, request, contextFor(owner, source, route.binding));
    if (!holds(route.virtualService, route.block)) continue;
    if (route.rootBlock !== undefined && !holds(route.root!, route.rootBlock)) continue;
    const block = route.block?.uri !== undefined || route.rootBlock?.uri === undefined ? route.block : route.rootBlock;
    return { virtualService: route.virtualService, rule: route.rule, index: route.index, block };
  }
  return undefined;
}

function contextFor(owner: RoutedVirtualService, source: RequestSource, binding: string): MatchContext {
  return { source, binding, resolveGateway: (name) => resolveGatewayName(name, owner.namespace), gatewaySemantics: owner.semantics === 'gateway' };
}
