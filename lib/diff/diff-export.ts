import { ServiceView } from '../traffic-view';
import { Change } from './change';

/**
 * `exportTo` widened: the routes (VirtualService) or client policies
 * (DestinationRule) now apply to callers in namespaces they did not.
 */
export function diffExport(before: ServiceView, after: ServiceView): Change[] {
  const namespace = after.service.split('/')[0];
  const changes: Change[] = [];
  const pairs = [['VirtualService', before.exportTo, after.exportTo], ['DestinationRule', before.ruleExportTo, after.ruleExportTo]] as const;
  for (const [kind, was, now] of pairs) {
    if (was === undefined || now === undefined || was.join() === now.join()) continue;
    const widened = !covers(was, now, namespace);
    changes.push({
      kind: 'export', before: was, after: now, risk: widened ? 'risky' : 'review',
      message: `${kind} exportTo ${was.join(', ')} → ${now.join(', ')}${widened ? ' (now visible to more namespaces)' : ''}`,
    });
  }
  return changes;
}

/** Whether every namespace `now` exports to, `was` did too (`.` is the object's own namespace, `*` every one). */
function covers(was: readonly string[], now: readonly string[], own: string): boolean {
  const resolve = (list: readonly string[]) => new Set(list.map((e) => (e === '.' ? own : e)));
  const before = resolve(was);
  if (before.has('*')) return true;
  return [...resolve(now)].every((e) => before.has(e));
}
