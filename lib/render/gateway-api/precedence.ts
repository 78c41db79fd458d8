import { HttpMatchJson, RequestMatch } from '../../match/request-match';
import { matchBlocks, overlaps } from '../../model/shadowing';
import { RuleModel } from '../../model/service-model';
import { renderMatch } from './http-route';

/** One match of one rule: Istio splits each HTTPRoute rule into one route per match before it sorts. */
interface Entry {
  readonly rule: RuleModel;
  readonly match: RequestMatch | undefined;
  readonly key: PrecedenceKey;
}

interface PrecedenceKey {
  /** Exact 3, PathPrefix 2, RegularExpression 1 (every match has a path: the output writes PathPrefix / when none is declared). */
  readonly rank: number;
  readonly length: number;
  readonly method: boolean;
  readonly headers: number;
  readonly queryParams: number;
}

/**
 * The order Istio gives the rules of an HTTPRoute: `sortHTTPRoutes` in
 * pilot/pkg/config/kube/gateway/conversion.go, a stable sort of the
 * one-match routes by path type (Exact, PathPrefix, RegularExpression), then
 * path length (a PathPrefix without its trailing `/`), then a method, then
 * more header matches, then more query matches; ties keep their order.
 */
export function precedenceOrder(rules: readonly RuleModel[]): Entry[] {
  const entries: Entry[] = [];
  for (const rule of rules) {
    for (const match of rule.matches.length ? rule.matches : [undefined]) entries.push({ rule, match, key: keyOf(match) });
  }
  return entries
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => compare(a.entry.key, b.entry.key) || a.index - b.index)
    .map(({ entry }) => entry);
}

/**
 * Where the declared order (the VirtualService's first match wins) and the
 * Gateway API's precedence disagree about a request: a rule sorted before a
 * rule declared ahead of it, when some request matches both. Those requests
 * would go elsewhere; each such pair is named once.
 */
export function precedenceInversions(rules: readonly RuleModel[]): Array<{ earlier: RuleModel; later: RuleModel }> {
  const declared = new Map<Entry, number>();
  let position = 0;
  const sorted = precedenceOrder(rules);
  for (const entry of [...sorted].sort((a, b) => rules.indexOf(a.rule) - rules.indexOf(b.rule))) declared.set(entry, position++);
  const found = new Map<string, { earlier: RuleModel; later: RuleModel }>();
  sorted.forEach((first, i) => {
    for (const second of sorted.slice(i + 1)) {
      // `second` is declared before `first` but now comes after it.
      if (second.rule === first.rule || declared.get(second)! > declared.get(first)!) continue;
      if (!blocksOf(second.match).some((a) => blocksOf(first.match).some((b) => overlaps(a, b)))) continue;
      found.set(`${second.rule.name}/${first.rule.name}`, { earlier: second.rule, later: first.rule });
    }
  });
  return [...found.values()];
}

/** A rule's match as blocks the overlap test reads; no match is the catch-all. */
function blocksOf(match: RequestMatch | undefined): HttpMatchJson[] {
  return match ? matchBlocks(match) : [{}];
}

function keyOf(match: RequestMatch | undefined): PrecedenceKey {
  const json = match ? renderMatch(match) : { path: { type: 'PathPrefix', value: '/' } };
  const { type, value } = json.path as { type: string; value: string };
  const rank = type === 'Exact' ? 3 : type === 'PathPrefix' ? 2 : 1;
  // Istio trims a PathPrefix's trailing `/` (but `/` itself) before it measures it.
  const length = type === 'PathPrefix' && value !== '/' ? value.replace(/\/$/, '').length : value.length;
  return { rank, length, method: json.method !== undefined, headers: json.headers?.length ?? 0, queryParams: json.queryParams?.length ?? 0 };
}

/** Negative when `a` goes first. */
function compare(a: PrecedenceKey, b: PrecedenceKey): number {
  if (a.rank !== b.rank) return b.rank - a.rank;
  if (a.length !== b.length) return b.length - a.length;
  if (a.method !== b.method) return a.method ? -1 : 1;
  if (a.headers !== b.headers) return b.headers - a.headers;
  return b.queryParams - a.queryParams;
}
