import { HttpMatchSpec } from '../traffic/match-request';
import { StringMatchSpec } from '../traffic/specs';

/** A match block's fields as Istio evaluates them; `name` only labels the block. */
type Block = Omit<HttpMatchSpec, 'name'> & { readonly name?: string };

/**
 * The identity of a rule's match conditions: canonical JSON of each block
 * (sorted keys, without the block's name), blocks sorted, so that
 * reordering keys or blocks keeps the identity. `*` for a catch-all.
 */
export function matchKey(blocks: readonly Block[] | undefined): string {
  if (!blocks || blocks.length === 0) return '*';
  return [...new Set(blocks.map((block) => canonical(withoutName(block))))].sort().join(' | ');
}

/** `/predict`, `POST /score`, `/recommend with x-user-group: beta`, `any request`; blocks joined with ` or `. */
export function matchLabel(blocks: readonly Block[] | undefined): string {
  if (!blocks || blocks.length === 0) return 'any request';
  return [...new Set(blocks.map(blockLabel))].sort().join(' or ');
}

function blockLabel(block: Block): string {
  const head = [block.method ? methodLabel(block.method) : '', block.uri ? uriLabel(block.uri) : ''].filter(Boolean).join(' ');
  const conditions: string[] = [];
  if (block.authority) conditions.push(`authority ${stringLabel(block.authority)}`);
  if (block.scheme) conditions.push(`scheme ${stringLabel(block.scheme)}`);
  for (const [name, match] of sortedEntries(block.headers)) conditions.push(headerLabel(name, match));
  for (const [name, match] of sortedEntries(block.withoutHeaders)) conditions.push(`no ${headerLabel(name, match)}`);
  for (const [name, match] of sortedEntries(block.queryParams)) conditions.push(`?${name} ${stringLabel(match)}`);
  if (block.port) conditions.push(`port ${block.port}`);
  if (block.sourceNamespace) conditions.push(`from namespace ${block.sourceNamespace}`);
  for (const [name, value] of sortedEntries(block.sourceLabels)) conditions.push(`from pods ${name}=${value}`);
  if (block.gateways?.length) conditions.push(`via ${[...block.gateways].sort().join(', ')}`);
  if (block.ignoreUriCase) conditions.push('uri case ignored');
  if (!head && !conditions.length) return 'any request';
  if (!head) return conditions.join(', ');
  return conditions.length ? `${head} with ${conditions.join(', ')}` : head;
}

function uriLabel(match: StringMatchSpec): string {
  if (match.prefix !== undefined) return match.prefix;
  if (match.exact !== undefined) return `${match.exact} (exact)`;
  if (match.regex !== undefined) return `regex ${match.regex}`;
  return 'any uri';
}

function methodLabel(match: StringMatchSpec): string {
  return match.exact ?? stringLabel(match);
}

/** The cookie regex that sticky sessions write: `^(.*?;\s*)?name=value(;.*)?$`. */
const COOKIE_REGEX = /^\^\(\.\*\?;\\s\*\)\?([^=]+)=(.*)\(;\.\*\)\?\$$/;

function headerLabel(name: string, match: StringMatchSpec): string {
  const cookie = name.toLowerCase() === 'cookie' && match.regex !== undefined ? COOKIE_REGEX.exec(match.regex) : null;
  if (cookie) return `cookie ${cookie[1]}=${cookie[2]}`;
  return `${name} ${stringLabel(match)}`;
}

function stringLabel(match: StringMatchSpec): string {
  if (match.exact !== undefined) return `= ${match.exact}`;
  if (match.prefix !== undefined) return `starts with ${match.prefix}`;
  if (match.regex !== undefined) return match.regex === '*' ? 'present' : `~ ${match.regex}`;
  return 'present';
}

function sortedEntries<T>(record: Readonly<Record<string, T>> | undefined): [string, T][] {
  return Object.entries(record ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function withoutName(block: Block): object {
  const { name: _name, ...rest } = block;
  return rest;
}

/** JSON with object keys sorted at every depth. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
