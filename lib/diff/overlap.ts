import { HttpMatchSpec } from '../traffic/match-request';
import { StringMatchSpec } from '../traffic/specs';
import { canonical } from '../traffic-view/match-label';

/**
 * Whether one request could match both rules, as far as the conditions
 * tell. Only provable disjointness counts (`/a` vs `/b`, `GET` vs `POST`,
 * different ports or gateways); a regex may match anything. Swapping two
 * rules that cannot both match changes nothing, since Istio takes the first
 * rule that matches.
 */
export function rulesOverlap(a: readonly HttpMatchSpec[] | undefined, b: readonly HttpMatchSpec[] | undefined): boolean {
  if (!a?.length || !b?.length) return true;
  return a.some((x) => b.some((y) => !blocksDisjoint(x, y)));
}

function blocksDisjoint(a: HttpMatchSpec, b: HttpMatchSpec): boolean {
  const ignoreCase = (a.ignoreUriCase ?? false) || (b.ignoreUriCase ?? false);
  if (a.uri && b.uri && stringsDisjoint(a.uri, b.uri, ignoreCase)) return true;
  if (a.method && b.method && stringsDisjoint(a.method, b.method, false)) return true;
  if (a.authority && b.authority && stringsDisjoint(a.authority, b.authority, true)) return true;
  if (a.scheme && b.scheme && stringsDisjoint(a.scheme, b.scheme, false)) return true;
  if (a.port && b.port && a.port !== b.port) return true;
  if (a.sourceNamespace && b.sourceNamespace && a.sourceNamespace !== b.sourceNamespace) return true;
  if (a.gateways?.length && b.gateways?.length && !a.gateways.some((g) => b.gateways!.includes(g))) return true;
  if (recordsDisjoint(a.headers, b.headers, true) || recordsDisjoint(a.queryParams, b.queryParams, false)) return true;
  if (presenceContradicts(a.headers, b.withoutHeaders) || presenceContradicts(b.headers, a.withoutHeaders)) return true;
  const labels = Object.entries(a.sourceLabels ?? {});
  return labels.some(([key, value]) => b.sourceLabels?.[key] !== undefined && b.sourceLabels[key] !== value);
}

function recordsDisjoint(a: Readonly<Record<string, StringMatchSpec>> | undefined, b: Readonly<Record<string, StringMatchSpec>> | undefined, ignoreNameCase: boolean): boolean {
  if (!a || !b) return false;
  const norm = (name: string) => (ignoreNameCase ? name.toLowerCase() : name);
  const other = new Map(Object.entries(b).map(([name, match]) => [norm(name), match]));
  return Object.entries(a).some(([name, match]) => other.has(norm(name)) && stringsDisjoint(match, other.get(norm(name))!, false));
}

/** A header required by one block with exactly the condition the other requires to be absent. */
function presenceContradicts(required: Readonly<Record<string, StringMatchSpec>> | undefined, absent: Readonly<Record<string, StringMatchSpec>> | undefined): boolean {
  if (!required || !absent) return false;
  return Object.entries(absent).some(([name, match]) => {
    const own = Object.entries(required).find(([n]) => n.toLowerCase() === name.toLowerCase());
    return own !== undefined && canonical(own[1]) === canonical(match);
  });
}

function stringsDisjoint(a: StringMatchSpec, b: StringMatchSpec, ignoreCase: boolean): boolean {
  const fold = (s: string | undefined) => (s === undefined || !ignoreCase ? s : s.toLowerCase());
  const [ae, ap, be, bp] = [fold(a.exact), fold(a.prefix), fold(b.exact), fold(b.prefix)];
  if (ae !== undefined && be !== undefined) return ae !== be;
  if (ae !== undefined && bp !== undefined) return !ae.startsWith(bp);
  if (ap !== undefined && be !== undefined) return !be.startsWith(ap);
  if (ap !== undefined && bp !== undefined) return !ap.startsWith(bp) && !bp.startsWith(ap);
  return false;
}
