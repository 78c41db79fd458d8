import { RouteView, Share } from '../traffic-view';
import { Change } from './change';

/** What changed in one route, paired across revisions; `label` names it in the changes. */
export function diffRoute(before: RouteView, after: RouteView, label: string): Change[] {
  const changes: Change[] = [];
  // Shares leaving the mesh are diffCopies' to report.
  const inMesh = (shares: readonly Share[]) => shares.filter((s) => !s.outsideMesh);
  changes.push(...diffShares(inMesh(before.destinations), inMesh(after.destinations), label, 'weight'));
  changes.push(...diffShares(inMesh(before.mirrors), inMesh(after.mirrors), label, 'mirror'));
  for (const kind of ['action', 'rewrite', 'timeout', 'retries', 'fault'] as const) {
    const was = before[kind];
    const now = after[kind];
    if (was === now) continue;
    changes.push({
      kind,
      route: label,
      ...(was !== undefined ? { before: was } : {}),
      ...(now !== undefined ? { after: now } : {}),
      risk: kind === 'timeout' || kind === 'retries' ? 'info' : 'review',
      message: `${label}: ${KIND_NOUN[kind]} ${was ?? 'none'} → ${now ?? 'none'}`,
    });
  }
  return changes;
}

const KIND_NOUN = { action: 'action', rewrite: 'rewrite', timeout: 'timeout', retries: 'retries', fault: 'fault injection' } as const;

/** Per version: `/predict: v2 10% → 25%` (a weight), `/embed: mirror to candidate 20% → 50%`. */
function diffShares(before: readonly Share[], after: readonly Share[], label: string, kind: 'weight' | 'mirror'): Change[] {
  const was = new Map(before.map((s) => [s.version, s.percent]));
  const now = new Map(after.map((s) => [s.version, s.percent]));
  const versions = [...new Set([...was.keys(), ...now.keys()])].sort();
  const changes: Change[] = [];
  for (const version of versions) {
    const b = was.get(version) ?? 0;
    const a = now.get(version) ?? 0;
    if (a === b) continue;
    changes.push({
      kind,
      route: label,
      version,
      before: b,
      after: a,
      risk: kind === 'mirror' ? 'info' : 'review',
      message: `${label}: ${kind === 'mirror' ? 'mirror to ' : ''}${version} ${b}% → ${a}%`,
    });
  }
  return changes;
}

/**
 * The weight changes of one route read as a move: `15% of /predict moves from v1 to v2`.
 * Undefined when the route's shares did not move (only mirrors, or no weights).
 */
export function describeShift(label: string, weights: readonly Change[]): string | undefined {
  const deltas = weights.filter((c) => c.kind === 'weight').map((c) => ({ version: c.version!, delta: (c.after as number) - (c.before as number) }));
  const losers = deltas.filter((d) => d.delta < 0).map((d) => d.version);
  const gainers = deltas.filter((d) => d.delta > 0);
  if (!losers.length || !gainers.length) return undefined;
  const moved = Math.round(gainers.reduce((sum, d) => sum + d.delta, 0) * 100) / 100;
  return `${moved}% of ${label} moves from ${list(losers)} to ${list(gainers.map((d) => d.version))}`;
}

function list(items: readonly string[]): string {
  return items.length === 1 ? items[0] : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
