import { istioRegexError } from './regex';

/** A StringMatch ({exact|prefix|regex}) as Istio checks it in HTTP matches (catalogue rules 13, 14). */

/** validateStringMatchRegexp: only regex is checked (uri, headers, queryParams in Istio's current code). */
export function stringMatchRegexError(match: any, where: string): string | undefined {
  if (!match || typeof match !== 'object' || match.regex === undefined || match.regex === null) return undefined;
  if (match.regex === '') return `"${where}": regex string match should not be empty`;
  return istioRegexError(String(match.regex), where);
}

/** validateStringMatch: also rejects an empty prefix (scheme, method, authority, withoutHeaders). */
export function stringMatchError(match: any, where: string): string | undefined {
  if (match && typeof match === 'object' && match.prefix === '') return `"${where}": prefix string match should not be empty`;
  return stringMatchRegexError(match, where);
}
