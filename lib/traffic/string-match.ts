import { re2FullMatch } from './regex-cache';

/** Istio's StringMatch as parsed from YAML: exact, prefix or regex. */
export interface StringMatchSpec {
  readonly exact?: string;
  readonly prefix?: string;
  readonly regex?: string;
}

/**
 * Whether `value` satisfies an Istio StringMatch the way the Envoy matcher
 * Istio generates does: exact and prefix compare bytes, regex is an RE2 full
 * match. `ignoreCase` lower-cases both sides (Istio's `ignoreUriCase`).
 */
export function stringMatches(match: StringMatchSpec, value: string, ignoreCase = false): boolean {
  const v = ignoreCase ? value.toLowerCase() : value;
  if (match.exact !== undefined) return v === (ignoreCase ? match.exact.toLowerCase() : match.exact);
  if (match.prefix !== undefined) return v.startsWith(ignoreCase ? match.prefix.toLowerCase() : match.prefix);
  if (match.regex !== undefined) return re2FullMatch(ignoreCase ? `(?i)${match.regex}` : match.regex, value);
  // An empty StringMatch ({}) matches anything present.
  return true;
}

/** A one-line rendering for explanations: `prefix /predict`. */
export function describeStringMatch(match: StringMatchSpec): string {
  if (match.exact !== undefined) return `exact ${JSON.stringify(match.exact)}`;
  if (match.prefix !== undefined) return `prefix ${JSON.stringify(match.prefix)}`;
  if (match.regex !== undefined) return `regex ${JSON.stringify(match.regex)}`;
  return 'any value';
}
