import { childPath } from '../core/field-path';
import { sortKeysInPlace } from '../core/sort-keys';
import type { Finding } from '../core/finding';

/**
 * Unreachable rules (IST0130) and ineffective matches (IST0131), ported from Istio's
 * analyzeUnreachableHTTPRules / TCP / TLS. The webhook reports both as warnings; istioctl analyze
 * reports IST0131 as Info, which is the severity we use.
 */

/** A uri-prefix match, for the overlap check; names and path are worked out only for a finding (most matches have none). */
interface PrefixMatch {
  readonly route: any;
  readonly ruleIndex: number;
  readonly match: any;
  readonly matchIndex: number;
  readonly prefix: string;
  readonly port: number;
  readonly method: string;
  readonly authority: string;
  readonly headers: Record<string, string>;
  readonly queryParams: Record<string, string>;
  readonly withoutHeaders: Record<string, string>;
}

type Protocol = 'http' | 'tcp' | 'tls';

export function checkReachability(spec: any): Finding[] {
  const findings: Finding[] = [];
  for (const protocol of ['http', 'tcp', 'tls'] as const) {
    if (Array.isArray(spec[protocol])) analyzeRoutes(spec[protocol], protocol, findings);
  }
  return findings;
}

function unreachable(path: string, rule: string, reason: string): Finding {
  return { severity: 'warning', code: 'IST0130', rule: 'vs.unreachable-rule', path, message: `virtualService rule ${rule} not used (${reason})` };
}

function ineffective(path: string, rule: string, match: string, duplicate: string): Finding {
  return {
    severity: 'info',
    code: 'IST0131',
    rule: 'vs.ineffective-match',
    path,
    message: `virtualService rule ${rule} match ${match} is not used (duplicate/overlapping match in rule ${duplicate})`,
  };
}

function routeName(route: any, index: number, protocol: Protocol): string {
  return protocol === 'http' && route?.name ? JSON.stringify(route.name) : `#${index}`;
}

function matchName(match: any, index: number, protocol: Protocol): string {
  return protocol === 'http' && match?.name ? JSON.stringify(match.name) : `#${index}`;
}

function analyzeRoutes(routes: any[], protocol: Protocol, findings: Finding[]): void {
  const seenMatches = new Map<string, number>();
  const prefixMatches: PrefixMatch[] = [];
  let catchAllIndex = -1;
  const rulePathOf = (ruleIndex: number) => childPath(`spec.${protocol}`, ruleIndex);
  routes.forEach((route, ruleIndex) => {
    if (route === null || route === undefined) return;
    const matches: any[] = Array.isArray(route.match) ? route.match : [];
    if (matches.length === 0) {
      if (catchAllIndex >= 0) findings.push(unreachable(rulePathOf(ruleIndex), routeName(route, ruleIndex, protocol), 'only the last rule can have no matches'));
      catchAllIndex = ruleIndex;
      return;
    }
    let duplicates = 0;
    matches.forEach((match, matchIndex) => {
      if (catchAllIndex >= 0) {
        findings.push(unreachable(rulePathOf(ruleIndex), routeName(route, ruleIndex, protocol), 'route without matches defined before'));
        return;
      }
      const key = canonicalMatch(match, protocol);
      const previous = seenMatches.get(key);
      if (previous !== undefined) {
        const matchPath = childPath(childPath(rulePathOf(ruleIndex), 'match'), matchIndex);
        findings.push(ineffective(matchPath, routeName(route, ruleIndex, protocol), matchName(match, matchIndex, protocol), routeName(routes[previous], previous, protocol)));
        duplicates++;
        return;
      }
      seenMatches.set(key, ruleIndex);
      if (protocol === 'http') {
        const prefix = prefixMatch(route, ruleIndex, match, matchIndex);
        if (prefix) prefixMatches.push(prefix);
      }
    });
    if (duplicates === matches.length) findings.push(unreachable(rulePathOf(ruleIndex), routeName(route, ruleIndex, protocol), 'all matches used by prior rules'));
  });
  reportOverlappingPrefixes(prefixMatches, findings);
}

/** Istio compares matches by their JSON without the match name. */
function canonicalMatch(match: any, protocol: Protocol): string {
  return stableJson(match, protocol === 'http' ? 'name' : undefined);
}

/** JSON with keys sorted and empty values left out (`without`: a top-level key left out too); built as one string, since it runs for every match. */
function stableJson(value: unknown, without?: string): string {
  if (Array.isArray(value)) {
    let json = '[';
    for (let i = 0; i < value.length; i++) json += (i ? ',' : '') + stableJson(value[i]);
    return `${json}]`;
  }
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys: string[] = [];
    for (const key in record) if (key !== without && record[key] !== undefined && record[key] !== null) keys.push(key);
    sortKeysInPlace(keys);
    let json = '{';
    for (let i = 0; i < keys.length; i++) json += `${i ? ',' : ''}${JSON.stringify(keys[i])}:${stableJson(record[keys[i]])}`;
    return `${json}}`;
  }
  return JSON.stringify(value ?? null);
}

function exactOrPrefix(match: any): string {
  if (match?.exact) return `exact:${match.exact}`;
  if (match?.prefix) return `prefix:${match.prefix}`;
  return '';
}

const NO_CONDITIONS: Record<string, string> = Object.freeze({}) as Record<string, string>;

function mapOf(record: unknown): Record<string, string> {
  if (!record || typeof record !== 'object') return NO_CONDITIONS;
  const conditions: Record<string, string> = {};
  for (const [key, value] of Object.entries(record)) conditions[key] = exactOrPrefix(value);
  return conditions;
}

/** genMatchHTTPRoutes: only matches on a uri prefix take part in the overlap check. */
function prefixMatch(route: any, ruleIndex: number, match: any, matchIndex: number): PrefixMatch | undefined {
  const prefix = match?.uri?.prefix;
  if (!prefix) return undefined;
  return {
    route,
    ruleIndex,
    match,
    matchIndex,
    prefix,
    port: Number(match.port ?? 0),
    method: exactOrPrefix(match.method) || 'exact:GET',
    authority: exactOrPrefix(match.authority),
    headers: mapOf(match.headers),
    queryParams: mapOf(match.queryParams),
    withoutHeaders: mapOf(match.withoutHeaders),
  };
}

function reportOverlappingPrefixes(prefixMatches: PrefixMatch[], findings: Finding[]): void {
  for (let i = 0; i < prefixMatches.length; i++) {
    for (let j = i + 1; j < prefixMatches.length; j++) {
      const earlier = prefixMatches[i];
      const later = prefixMatches[j];
      if (later.prefix === earlier.prefix || !covers(earlier, later)) continue;
      const path = childPath(childPath(childPath('spec.http', later.ruleIndex), 'match'), later.matchIndex);
      const match = `${matchName(later.match, later.matchIndex, 'http')} of prefix ${later.prefix}`;
      const by = `${matchName(earlier.match, earlier.matchIndex, 'http')} of prefix ${earlier.prefix} on ${routeName(earlier.route, earlier.ruleIndex, 'http')}`;
      findings.push(ineffective(path, routeName(later.route, later.ruleIndex, 'http'), match, by));
    }
  }
}

/** coveredValidation: `a` (earlier) shadows `b` when b's prefix extends a's and the other conditions agree. */
function covers(a: PrefixMatch, b: PrefixMatch): boolean {
  if (!b.prefix.startsWith(a.prefix) || a.port !== b.port) return false;
  if (a.method !== b.method && !a.method.startsWith(b.method)) return false;
  if (a.authority !== b.authority && !a.authority.startsWith(b.authority)) return false;
  return sameConditions(a.headers, b.headers) && sameConditions(a.queryParams, b.queryParams) && sameConditions(a.withoutHeaders, b.withoutHeaders);
}

function sameConditions(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => key in b && (a[key] === b[key] || a[key].startsWith(b[key])));
}
