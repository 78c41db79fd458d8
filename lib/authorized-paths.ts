import { ResolvedRoute } from './route';

/**
 * The request paths an AuthorizationPolicy should allow: the routes' uri
 * prefixes and exact paths. Undefined (every path) when the table has a
 * catch-all route or a route that no path list can express (regex, or no uri).
 */
export function authorizedPaths(routes: readonly ResolvedRoute[]): string[] | undefined {
  const paths = new Set<string>();
  for (const route of routes) {
    if (route.isDefault) return undefined;
    for (const match of route.matches) {
      const uri = match.uri;
      if (!uri || 'regex' in uri) return undefined;
      if ('exact' in uri) paths.add(uri.exact);
      else paths.add(`${uri.prefix}*`);
    }
  }
  return [...paths].sort();
}
