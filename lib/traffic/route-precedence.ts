import { HttpRuleSpec } from './specs';

/**
 * Istio's sortHTTPRoutes, which orders the rules converted from HTTPRoutes
 * (each with at most one match) by the Gateway API's precedence: a rule
 * without a match last; then Exact over PathPrefix over RegularExpression,
 * the longer path value first; a method match first; more header matches
 * first; more query matches first. The sort is stable: ties keep their
 * order, which is the routes' (oldest first, then namespace, then name)
 * and, within a route, its rules' and matches'.
 */
export function sortByPrecedence<T extends HttpRuleSpec>(rules: readonly T[]): T[] {
  return [...rules].sort((a, b) => (comesFirst(a, b) ? -1 : comesFirst(b, a) ? 1 : 0));
}

function comesFirst(a: HttpRuleSpec, b: HttpRuleSpec): boolean {
  if (!a.match?.length) return false;
  if (!b.match?.length) return true;
  const [m1, m2] = [a.match[0], b.match[0]];
  const [r1, r2] = [uriRank(m1.uri), uriRank(m2.uri)];
  const [l1, l2] = [uriLength(m1.uri), uriLength(m2.uri)];
  if (r1 !== r2) return r1 > r2;
  if (l1 !== l2) return l1 > l2;
  if ((m1.method === undefined) !== (m2.method === undefined)) return m1.method !== undefined;
  const [h1, h2] = [count(m1.headers), count(m2.headers)];
  if (h1 !== h2) return h1 > h2;
  return count(m1.queryParams) > count(m2.queryParams);
}

type Uri = NonNullable<HttpRuleSpec['match']>[number]['uri'];

function uriRank(uri: Uri): number {
  if (uri?.exact !== undefined) return 3;
  if (uri?.prefix !== undefined) return 2;
  if (uri?.regex !== undefined) return 1;
  return -1;
}

/** Go's len: bytes, not UTF-16 units. */
function uriLength(uri: Uri): number {
  const value = uri?.exact ?? uri?.prefix ?? uri?.regex;
  return value === undefined ? 0 : UTF8.encode(value).length;
}

const UTF8 = new TextEncoder();

const count = (conditions: object | undefined) => (conditions ? Object.keys(conditions).length : 0);
