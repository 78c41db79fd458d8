import { HttpMatchSpec } from './match-request';

/**
 * Istio's IsCatchAllRoute for the route a match block becomes: its path
 * matches everything (no uri, prefix `/`, regex `.*`) and it has no header,
 * query, method, authority, scheme or JWT-claim condition. No block at all
 * is a catch-all too.
 */
export function isCatchAllBlock(block: HttpMatchSpec | undefined): boolean {
  if (block === undefined) return true;
  const uri = block.uri;
  const anyPath = uri === undefined
    || (uri.exact === undefined && uri.prefix === undefined && uri.regex === undefined)
    || uri.prefix === '/'
    || uri.regex === '.*';
  return anyPath && isEmpty(block.headers) && isEmpty(block.withoutHeaders) && isEmpty(block.queryParams)
    && block.method === undefined && block.authority === undefined && block.scheme === undefined;
}

const isEmpty = (conditions: object | undefined) => conditions === undefined || Object.keys(conditions).length === 0;
