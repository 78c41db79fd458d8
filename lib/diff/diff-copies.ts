import { ServiceView } from '../traffic-view';
import { Change } from './change';

/**
 * Copies of requests (mirrors) sent to hosts that are not Kubernetes
 * services leave the mesh, bodies and headers included: a new one, or a
 * larger share, is risky, whatever route it hangs on.
 */
export function diffCopies(before: ServiceView, after: ServiceView): Change[] {
  const was = copiesOf(before);
  const now = copiesOf(after);
  const changes: Change[] = [];
  for (const [key, copy] of now) {
    const previous = was.get(key)?.percent ?? 0;
    if (copy.percent === previous) continue;
    const more = copy.percent > previous;
    changes.push({
      kind: 'mirror', route: copy.route, version: copy.target, before: previous, after: copy.percent, risk: more ? 'risky' : 'info',
      message: `${copy.route}: copies ${copy.percent}% of requests to ${copy.target}, outside the mesh (was ${previous}%)`,
    });
  }
  for (const [key, copy] of was) {
    if (now.has(key)) continue;
    changes.push({ kind: 'mirror', route: copy.route, version: copy.target, before: copy.percent, after: 0, risk: 'info', message: `${copy.route}: no longer copies requests to ${copy.target}, outside the mesh (was ${copy.percent}%)` });
  }
  return changes;
}

/** Outside-mesh copies by route and target: `/predict → evil.example.com`. */
export function copiesOf(view: ServiceView): Map<string, { route: string; target: string; percent: number }> {
  const copies = new Map<string, { route: string; target: string; percent: number }>();
  for (const route of view.routes) {
    for (const mirror of route.mirrors) {
      if (!mirror.outsideMesh) continue;
      const key = `${route.label}\n${mirror.version}`;
      const percent = (copies.get(key)?.percent ?? 0) + mirror.percent;
      copies.set(key, { route: route.label, target: mirror.version, percent });
    }
  }
  return copies;
}

/** Targets outside the mesh, which diffCopies reports (not as versions). */
export function outsideTargets(view: ServiceView): Set<string> {
  return new Set([...copiesOf(view).values()].map((c) => c.target));
}
