import { RouteView } from '../traffic-view';

/** A route with its identity within the service: its match key, plus `#2`, `#3` for repeats of the same conditions. */
export interface IdentifiedRoute {
  readonly id: string;
  readonly position: number;
  readonly route: RouteView;
}

export function identifyRoutes(routes: readonly RouteView[]): IdentifiedRoute[] {
  const seen = new Map<string, number>();
  return routes.map((route, position) => {
    const count = (seen.get(route.key) ?? 0) + 1;
    seen.set(route.key, count);
    return { id: count === 1 ? route.key : `${route.key}#${count}`, position, route };
  });
}

/** How a route is named in changes: its conditions, and for repeats which one. */
export function routeLabel(identified: IdentifiedRoute): string {
  const repeat = /#(\d+)$/.exec(identified.id);
  return repeat ? `${identified.route.label} (rule ${repeat[1]} with these conditions)` : identified.route.label;
}

/**
 * Pairs the routes of two revisions: by conditions first; a route whose
 * conditions changed but whose name stayed is paired by name (a match change).
 */
export function pairRoutes(before: readonly IdentifiedRoute[], after: readonly IdentifiedRoute[]) {
  const afterById = new Map(after.map((r) => [r.id, r]));
  const same: [IdentifiedRoute, IdentifiedRoute][] = [];
  const removed: IdentifiedRoute[] = [];
  for (const b of before) {
    const a = afterById.get(b.id);
    if (a) same.push([b, a]);
    else removed.push(b);
  }
  const beforeIds = new Set(before.map((r) => r.id));
  const added = after.filter((a) => !beforeIds.has(a.id));
  const rematched: [IdentifiedRoute, IdentifiedRoute][] = [];
  for (const b of [...removed]) {
    if (b.route.name === undefined) continue;
    const a = added.find((r) => r.route.name === b.route.name);
    if (!a) continue;
    rematched.push([b, a]);
    removed.splice(removed.indexOf(b), 1);
    added.splice(added.indexOf(a), 1);
  }
  return { same, rematched, removed, added };
}
