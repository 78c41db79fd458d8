import { HttpMatchJson, RequestMatch } from '../match/request-match';
import { StringMatchJson } from '../match/string-match';
import { re2FullMatch } from '../traffic/regex-cache';
import { RouteModel } from './service-model';

export interface ShadowingFindings {
  /** Routes no request can reach: every one of their matches is taken by an earlier route. */
  readonly errors: string[];
  /** Routes some of whose requests an earlier route takes. */
  readonly warnings: string[];
}

/**
 * Istio evaluates rules in order and the first match wins. A route's last
 * rule carries only the route's own matches, so a request matching an
 * earlier route never reaches a later one: report routes that are wholly
 * (error) or partly (warning) taken by earlier ones. The default route is
 * meant to take the rest and is not reported.
 */
export function shadowingFindings(routes: readonly RouteModel[]): ShadowingFindings {
  const errors: string[] = [];
  const warnings: string[] = [];
  const declared = routes.filter((r) => !r.isDefault);
  declared.forEach((route, index) => {
    const earlier = declared.slice(0, index);
    const blocks = route.matches.flatMap((m) => matchBlocks(m).map((b) => ({ ...b, port: route.port })));
    const blocksOf = (e: RouteModel) => e.matches.flatMap((m) => matchBlocks(m).map((b) => ({ ...b, port: e.port })));
    const takenBy = blocks.map((block) => earlier.find((e) => blocksOf(e).some((b) => covers(b, block))));
    if (takenBy.every((e) => e !== undefined)) {
      const names = [...new Set(takenBy.map((e) => `"${e!.name}"`))].join(', ');
      errors.push(`route "${route.name}": is unreachable: every request it matches is taken by route ${names}, declared before it (Istio uses the first matching rule); declare it earlier or narrow the earlier route`);
      return;
    }
    const overlapping = earlier.filter((e) => blocksOf(e).some((b) => blocks.some((block) => overlaps(b, block))));
    if (overlapping.length) {
      warnings.push(`route "${route.name}": requests that also match route ${overlapping.map((e) => `"${e.name}"`).join(', ')}, declared before it, go there (Istio uses the first matching rule)`);
    }
  });
  return { errors, warnings };
}

/**
 * A match as blocks the tests below read exactly: a whole-segment prefix P
 * (RequestMatch.pathPrefix, the regex `P(/.*)?` in a VirtualService) is the
 * path P or any path under `P/`.
 */
export function matchBlocks(match: RequestMatch): HttpMatchJson[] {
  const json = match.toJson();
  const segments = match.uriSegmentPrefix;
  if (segments === undefined || segments === '/') return [json];
  return [{ ...json, uri: { exact: segments } }, { ...json, uri: { prefix: `${segments}/` } }];
}

export type Block = HttpMatchJson & { port?: number };

/** Every request matching `b` also matches `a`. */
function covers(a: Block, b: Block): boolean {
  if (a.port !== undefined && a.port !== b.port) return false;
  if (a.uri && !(b.uri && stringCovers(a.uri, b.uri))) return false;
  if (a.method && !(b.method && stringCovers(a.method, b.method))) return false;
  return mapCovers(a.headers, b.headers) && mapCovers(a.queryParams, b.queryParams);
}

function mapCovers(a: Record<string, StringMatchJson> | undefined, b: Record<string, StringMatchJson> | undefined): boolean {
  return Object.entries(a ?? {}).every(([key, condition]) => b?.[key] !== undefined && stringCovers(condition, b[key]));
}

function stringCovers(a: StringMatchJson, b: StringMatchJson): boolean {
  if ('exact' in a) return 'exact' in b && b.exact === a.exact;
  if ('prefix' in a) return ('exact' in b && b.exact.startsWith(a.prefix)) || ('prefix' in b && b.prefix.startsWith(a.prefix));
  return ('regex' in b && b.regex === a.regex) || ('exact' in b && re2FullMatch(a.regex, b.exact));
}

/** Some request may match both: no attribute tested by both is tested incompatibly. */
export function overlaps(a: Block, b: Block): boolean {
  if (a.port !== undefined && b.port !== undefined && a.port !== b.port) return false;
  if (a.uri && b.uri && !compatible(a.uri, b.uri)) return false;
  if (a.method && b.method && !compatible(a.method, b.method)) return false;
  for (const [mapA, mapB] of [[a.headers, b.headers], [a.queryParams, b.queryParams]]) {
    for (const [key, condition] of Object.entries(mapA ?? {})) {
      const other = mapB?.[key];
      if (other && !compatible(condition, other)) return false;
    }
  }
  return true;
}

function compatible(a: StringMatchJson, b: StringMatchJson): boolean {
  if ('exact' in a && 'exact' in b) return a.exact === b.exact;
  if ('exact' in a && 'prefix' in b) return a.exact.startsWith(b.prefix);
  if ('prefix' in a && 'exact' in b) return b.exact.startsWith(a.prefix);
  if ('prefix' in a && 'prefix' in b) return a.prefix.startsWith(b.prefix) || b.prefix.startsWith(a.prefix);
  if ('regex' in a && 'exact' in b) return re2FullMatch(a.regex, b.exact);
  if ('exact' in a && 'regex' in b) return re2FullMatch(b.regex, a.exact);
  // Two regexes, or a regex and a prefix: assume they can meet.
  return true;
}
