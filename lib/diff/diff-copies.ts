import { ServiceView } from '../traffic-view';
import { Change } from './change';

/**
 * Requests, or copies of them (mirrors), sent to hosts that are not
 * Kubernetes services leave the mesh, bodies and headers included: a new
 * one, or a larger share, is risky, whatever route it hangs on.
 */
export function diffCopies(before: ServiceView, after: ServiceView): Change[] {
  const was = copiesOf(before);
  const now = copiesOf(after);
  const changes: Change[] = [];
  for (const [key, copy] of now) {
    const previous = was.get(key)?.percent ?? 0;
    if (copy.percent === previous) continue;
    const more = copy.percent > previous;
    const verb = copy.kind === 'mirror' ? 'copies' : 'sends';
    changes.push({
      kind: copy.kind, route: copy.route, version: copy.target, before: previous, after: copy.percent, risk: more ? 'risky' : 'info',
      message: `${copy.route}: ${verb} ${copy.percent}% of requests to ${copy.target}, outside the mesh (was ${previous}%)`,
    });
  }
  for (const [key, copy] of was) {
    if (now.has(key)) continue;
    const verb = copy.kind === 'mirror' ? 'copies' : 'sends';
    changes.push({ kind: copy.kind, route: copy.route, version: copy.target, before: copy.percent, after: 0, risk: 'info', message: `${copy.route}: no longer ${verb} requests to ${copy.target}, outside the mesh (was ${copy.percent}%)` });
  }
  return changes;
}

interface Outside { readonly kind: 'weight' | 'mirror'; readonly route: string; readonly target: string; readonly percent: number }

/** Shares leaving the mesh by route, kind and target: `/predict → evil.example.com`. */
export function copiesOf(view: ServiceView): Map<string, Outside> {
  const copies = new Map<string, Outside>();
  for (const route of view.routes) {
    for (const [kind, shares] of [['weight', route.destinations], ['mirror', route.mirrors]] as const) {
      for (const share of shares) {
        if (!share.outsideMesh) continue;
        const key = `${kind}\n${route.label}\n${share.version}`;
        const percent = (copies.get(key)?.percent ?? 0) + share.percent;
        copies.set(key, { kind, route: route.label, target: share.version, percent });
      }
    }
  }
  return copies;
}

/** Targets outside the mesh, which diffCopies reports (not as versions). */
export function outsideTargets(view: ServiceView): Set<string> {
  return new Set([...copiesOf(view).values()].map((c) => c.target));
}
