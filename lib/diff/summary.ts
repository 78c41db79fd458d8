import { Change, ObjectDiff, Risk, ServiceDiff } from './change';
import { describeShift } from './diff-route';

const LISTED = 5;

/** One paragraph: how many services (and other objects) change, how risky, the risky changes by name, and the weight moves. */
export function summarize(services: readonly ServiceDiff[], objects: readonly ObjectDiff[] = []): string {
  if (!services.length && !objects.length) return 'No traffic changes.';
  const all = [
    ...services.flatMap((s) => s.changes.map((change) => ({ service: s.service, change }))),
    ...objects.flatMap((o) => o.changes.map((change) => ({ service: o.object, change }))),
  ];
  const count = (risk: Risk) => all.filter((c) => c.change.risk === risk).length;
  const added = services.filter((s) => s.changes.some((c) => c.kind === 'service-added')).length;
  const removed = services.filter((s) => s.changes.some((c) => c.kind === 'service-removed')).length;
  const sentences = [
    `${plural(services.length, 'service')} change${services.length === 1 ? 's' : ''}` +
      `${added || removed ? ` (${added} added, ${removed} removed)` : ''}` +
      `${objects.length ? ` and ${plural(objects.length, 'other object')}` : ''}: ` +
      `${plural(count('risky'), 'risky change')}, ${count('review')} to review, ${count('info')} informational.`,
  ];
  const risky = all.filter((c) => c.change.risk === 'risky');
  if (risky.length) {
    const listed = risky.slice(0, LISTED).map((c) => `${c.service}: ${c.change.message}`);
    sentences.push(`Risky: ${listed.join('; ')}${risky.length > LISTED ? `; and ${risky.length - LISTED} more` : ''}.`);
  }
  const moves = services.flatMap((s) => shifts(s).map((shift) => `${shift} on ${s.service}`));
  if (moves.length) {
    const listed = moves.slice(0, LISTED);
    sentences.push(`Traffic moves: ${listed.join('; ')}${moves.length > LISTED ? `; and ${moves.length - LISTED} more` : ''}.`);
  }
  return sentences.join(' ');
}

/** `15% of /predict moves from v1 to v2`, per route whose weights changed, in change order. */
export function shifts(service: ServiceDiff): string[] {
  const byRoute = new Map<string, Change[]>();
  for (const change of service.changes) {
    if (change.kind !== 'weight' || change.route === undefined) continue;
    byRoute.set(change.route, [...(byRoute.get(change.route) ?? []), change]);
  }
  return [...byRoute].map(([route, changes]) => describeShift(route, changes)).filter((s): s is string => s !== undefined);
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
