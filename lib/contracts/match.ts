import { RE2JS } from 're2js';
import { MatchDecl, StringMatchDecl } from './declaration';
import { RequestFacts } from './request-facts';

/**
 * Contract of `RequestMatch` and `StringMatch`, as Envoy matches what Istio
 * generates from them:
 * - exact and prefix compare bytes (case-sensitive); a regex is an RE2 full match;
 * - a uri prefix is compared with the whole `:path` (query included), an exact
 *   path and a regex with the path alone;
 * - a header or query condition never holds when the request lacks it; an
 *   empty value is a value;
 * - a method is compared exactly; a cookie match holds when the Cookie header
 *   carries that exact `name=value` pair;
 * - all conditions of one match must hold.
 */
export function matchHolds(match: MatchDecl, facts: RequestFacts): boolean {
  if (match.uri && !stringHolds(match.uri, 'prefix' in match.uri ? facts.path : facts.pathOnly)) return false;
  if (match.method !== undefined && facts.request.method !== match.method) return false;
  for (const [name, condition] of Object.entries(match.headers ?? {})) {
    const value = facts.header(name);
    if (value === undefined || !stringHolds(condition, value)) return false;
  }
  for (const [name, condition] of Object.entries(match.queryParams ?? {})) {
    const value = facts.queryParam(name);
    if (value === undefined || !stringHolds(condition, value)) return false;
  }
  if (match.cookie && !facts.hasCookie(match.cookie.name, match.cookie.value)) return false;
  return true;
}

export function stringHolds(match: StringMatchDecl, value: string): boolean {
  if ('exact' in match) return value === match.exact;
  if ('prefix' in match) return value.startsWith(match.prefix);
  return compiled(match.regex).matches(value);
}

const patterns = new Map<string, RE2JS>();
function compiled(pattern: string): RE2JS {
  let re = patterns.get(pattern);
  if (!re) patterns.set(pattern, (re = RE2JS.compile(pattern)));
  return re;
}
