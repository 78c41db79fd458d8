import type { CrossObjectFinding } from '../analyzers/analysis-set';
import { childPath } from '../core/field-path';
import { asList, backendCondition, type ControllerContext } from './backend-refs';
import { parentCondition } from './parent-refs';
import type { RouteCondition } from './route-condition';

/** Filters convertHTTPRoute turns into Istio config; any other is InvalidFilter. */
const RULE_FILTERS = new Set(['RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestRedirect', 'RequestMirror', 'URLRewrite', 'CORS']);
/** Filters buildHTTPDestination accepts on a backendRef. */
const BACKEND_FILTERS = new Set(['RequestHeaderModifier', 'ResponseHeaderModifier']);

/** Our rule ids, by the reason Istio writes. */
const RULES: Record<string, string> = {
  InvalidFilter: 'gateway.unsupported-filter',
  InvalidDestination: 'gateway.invalid-destination',
  RefNotPermitted: 'gateway.ref-not-permitted',
  BackendNotFound: 'gateway.backend-not-found',
  InvalidKind: 'gateway.invalid-kind',
  NoMatchingParent: 'gateway.no-matching-parent',
  NotAllowedByListeners: 'gateway.not-allowed-by-listeners',
  NoMatchingListenerHostname: 'gateway.no-matching-listener-hostname',
};

/**
 * What Istio's gateway controller reports in an HTTPRoute's status when it converts the route
 * (pilot/pkg/config/kube/gateway: convertHTTPRoute, buildDestination, referenceAllowed): one finding per
 * filter, backend or parentRef it refuses, as `<Reason>: <Istio's message>`. The route is not Accepted
 * (parent problems) or does not resolve (ResolvedRefs), so these are errors.
 */
export function analyzeHttpRoutes(context: ControllerContext, gatewaysKnown: boolean): CrossObjectFinding[] {
  const findings: CrossObjectFinding[] = [];
  for (const route of context.set.all('HTTPRoute')) {
    if (route.index === undefined) continue;
    const report = (path: string, condition: RouteCondition | undefined) => {
      if (!condition) return;
      findings.push({ objectIndex: route.index!, path, severity: 'error', rule: RULES[condition.reason], message: `${condition.reason}: ${condition.message}` });
    };
    const hostnames = asList(route.spec.hostnames).map(String);
    asList(route.spec.parentRefs).forEach((ref, i) => report(childPath('spec.parentRefs', i), parentCondition(ref, route, hostnames, context, gatewaysKnown)));
    asList(route.spec.rules).forEach((rule, r) => {
      const rulePath = childPath('spec.rules', r);
      asList(rule?.filters).forEach((filter, f) => {
        const path = childPath(childPath(rulePath, 'filters'), f);
        if (!RULE_FILTERS.has(filter?.type)) report(path, { reason: 'InvalidFilter', message: `unsupported filter type "${filter?.type}"` });
        else if (filter.type === 'RequestMirror') report(`${path}.requestMirror.backendRef`, backendCondition(filter.requestMirror?.backendRef, route.namespace, context));
      });
      asList(rule?.backendRefs).forEach((backend, b) => {
        const path = childPath(childPath(rulePath, 'backendRefs'), b);
        // A backend of weight 0 is left out before it is resolved.
        if (backend?.weight !== 0) report(path, backendCondition(backend, route.namespace, context));
        asList(backend?.filters).forEach((filter, f) => {
          if (!BACKEND_FILTERS.has(filter?.type)) report(childPath(`${path}.filters`, f), { reason: 'InvalidFilter', message: `unsupported filter type "${filter?.type}"` });
        });
      });
    });
  }
  return findings;
}
