import { Change, ObjectDiff } from './change';
import { Inventory, SecurityTarget } from './inventory';
import { riskyField, sameField } from './unread-fields';

/**
 * Objects the traffic model does not read (an EnvoyFilter, a Gateway, a
 * Sidecar, any object main.ts writes with ApiObject) can change what every
 * request gets, so adding, removing or changing one is risky; so is a
 * security object that disappears, whatever took it away (a removed or
 * renamed service, a deleted policy).
 */
export function diffObjects(before: Inventory, after: Inventory): ObjectDiff[] {
  const changes = new Map<string, Change[]>();
  const add = (object: string, change: Change) => changes.set(object, [...(changes.get(object) ?? []), change]);
  for (const [object, text] of after.unread) {
    const was = before.unread.get(object);
    if (was === undefined) add(object, { kind: 'object-added', risk: 'risky', message: `added: ${unreadKind(object)}` });
    else if (was !== text) add(object, { kind: 'object-changed', risk: 'risky', message: `changed: ${unreadKind(object)}` });
  }
  for (const object of before.unread.keys()) {
    if (!after.unread.has(object)) add(object, { kind: 'object-removed', risk: 'risky', message: `removed: ${unreadKind(object)}` });
  }
  for (const [object, was] of before.securityObjects) {
    const now = after.securityObjects.get(object);
    if (now) {
      const selectorChange = diffSelector(object, was, now);
      if (selectorChange) add(object, selectorChange);
      continue;
    }
    add(object, { kind: 'policy-removed', risk: 'risky', message: `removed: what it required of the workloads it selected no longer applies (${object.startsWith('PeerAuthentication') ? 'their mTLS mode' : 'who may call them'})` });
  }
  // An object removed is its service's change; one added or changed may bring fields the diff cannot judge.
  for (const [object, now] of after.unreadFields) {
    const was = before.unreadFields.get(object) ?? new Map<string, string>();
    const changed = [...new Set([...was.keys(), ...now.keys()])].filter((path) => !sameField(was.get(path), now.get(path))).sort();
    if (!changed.length) continue;
    const risky = changed.filter(riskyField);
    add(object, {
      kind: 'fields-changed', after: changed, risk: risky.length ? 'risky' : 'review',
      message: `fields the diff does not compare changed: ${changed.join(', ')}${risky.length ? ` (${risky.join(', ')} can let requests in or out by themselves)` : ''}`,
    });
  }
  return [...changes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([object, list]) => ({ object, changes: list }));
}

/**
 * A security object whose selector changed may no longer select pods it
 * did (risky), unless it only selects more pods with an effect that cannot
 * let a request in: an AuthorizationPolicy (more pods checked), a STRICT
 * PeerAuthentication.
 */
function diffSelector(object: string, was: SecurityTarget, now: SecurityTarget): Change | undefined {
  const before = selectorText(was.selector);
  const after = selectorText(now.selector);
  if (before === after) return undefined;
  const selectsMore = Object.entries(now.selector).every(([key, value]) => was.selector[key] === value);
  const harmless = selectsMore && (object.startsWith('AuthorizationPolicy') || now.mode === 'STRICT');
  return {
    kind: 'selector', before, after, risk: harmless ? 'review' : 'risky',
    message: `selects ${after} instead of ${before}${harmless ? '' : ': pods it selected may lose it, or pods it did not get it'}`,
  };
}

function selectorText(selector: Readonly<Record<string, string>>): string {
  const labels = Object.entries(selector).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${v}`);
  return labels.length ? labels.join(',') : 'every pod of its namespace';
}

function unreadKind(object: string): string {
  const kind = object.split(' ')[0];
  if (kind === 'File') return 'the diff reads only YAML files, so what it does to requests is not known';
  return `the traffic model does not read ${kind}, so what it does to requests is not known`;
}
