import { RouteView } from '../traffic-view';
import { Change } from './change';
import { diffRoute } from './diff-route';
import { IdentifiedRoute, identifyRoutes, pairRoutes, routeLabel } from './identify-routes';
import { rulesOverlap } from './overlap';

/**
 * Route changes of one service. Routes are identified by their conditions,
 * so a rename is only a rename, and a reordering is a change only where two
 * rules that can match the same request swap (the first match wins).
 */
export function diffRoutes(before: readonly RouteView[], after: readonly RouteView[]): Change[] {
  const { same, rematched, removed, added } = pairRoutes(identifyRoutes(before), identifyRoutes(after));
  const perRoute: { position: number; changes: Change[] }[] = [];
  for (const [b, a] of same) {
    const label = routeLabel(a);
    const changes: Change[] = [];
    if (b.route.name !== a.route.name) {
      changes.push({
        kind: 'route-renamed', route: label,
        ...(b.route.name !== undefined ? { before: b.route.name } : {}),
        ...(a.route.name !== undefined ? { after: a.route.name } : {}),
        risk: 'info',
        message: `${label}: rule renamed from ${b.route.name ?? '(unnamed)'} to ${a.route.name ?? '(unnamed)'}, traffic unchanged by the name`,
      });
    }
    changes.push(...diffRoute(b.route, a.route, label));
    perRoute.push({ position: a.position, changes });
  }
  for (const [b, a] of rematched) {
    const label = routeLabel(a);
    perRoute.push({
      position: a.position,
      changes: [
        { kind: 'match', route: label, before: routeLabel(b), after: label, risk: 'review', message: `rule ${a.route.name}: matches ${label} instead of ${routeLabel(b)}` },
        ...diffRoute(b.route, a.route, label),
      ],
    });
  }
  for (const a of added) {
    const label = routeLabel(a);
    perRoute.push({ position: a.position, changes: [{ kind: 'route-added', route: label, after: sharesText(a.route), risk: 'review', message: `route added: ${label} → ${sharesText(a.route)}` }] });
  }
  const changes = perRoute.sort((x, y) => x.position - y.position).flatMap((r) => r.changes);
  for (const b of removed) {
    const label = routeLabel(b);
    changes.push({ kind: 'route-removed', route: label, before: sharesText(b.route), risk: 'review', message: `route removed: ${label} (was → ${sharesText(b.route)})` });
  }
  changes.push(...orderChanges([...same, ...rematched]));
  return changes;
}

/** `v1 90%, v2 10%`, or the action. */
export function sharesText(route: RouteView): string {
  if (route.action) return route.action;
  return route.destinations.map((s) => `${s.version} ${s.percent}%`).join(', ') || 'nowhere';
}

/** Pairs of rules that can match the same request and now come in the other order. */
function orderChanges(pairs: readonly [IdentifiedRoute, IdentifiedRoute][]): Change[] {
  const byBefore = [...pairs].sort((x, y) => x[0].position - y[0].position);
  const changes: Change[] = [];
  for (let i = 0; i < byBefore.length; i++) {
    for (let j = i + 1; j < byBefore.length; j++) {
      const [, first] = byBefore[i];
      const [, second] = byBefore[j];
      if (first.position < second.position) continue;
      if (!rulesOverlap(first.route.conditions, second.route.conditions)) continue;
      const now = routeLabel(second);
      const was = routeLabel(first);
      changes.push({
        kind: 'route-order', route: now, before: [was, now], after: [now, was], risk: 'review',
        message: `${now} now comes before ${was}: requests matching both now go by ${now}`,
      });
    }
  }
  return changes;
}
