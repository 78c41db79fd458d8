import { rememberedByText } from '../validation/core/remembered';
import { HttpMatchJson } from './request-match';
import { StringMatchJson } from './string-match';
import { acceptsPrefix, acceptsText, regexAcceptsSome, TextAutomaton } from './text-automaton';

const CONTROLS = [...Array(32).keys(), 0x7f];
const SPACE = 0x20;
const TAB = 0x09;
const LETTER = 'a'.codePointAt(0)!;

/** A single state: the text is carriable when no character of `forbidden` is in it. */
function withoutCharacters(forbidden: readonly number[]): TextAutomaton {
  return {
    start: 0,
    next: (state, char) => (forbidden.includes(char) ? undefined : state),
    accepts: () => true,
    distinct: forbidden,
    other: LETTER,
  };
}

/**
 * The raw query text of a request's `:path`, as Envoy's route matching reads
 * it (undecoded): no space or control character (a client sends %20 or +),
 * no `#` (Istio's Envoy strips the fragment), no `&` (it ends the parameter).
 */
const QUERY_VALUE = withoutCharacters([...CONTROLS, SPACE, '#'.codePointAt(0)!, '&'.codePointAt(0)!]);
/** A parameter name, besides, ends at its first `=`. */
const QUERY_NAME = withoutCharacters([...QUERY_VALUE.distinct, '='.codePointAt(0)!]);

/**
 * An HTTP field value (RFC 9110 5.5): no control character but tab, and no
 * space or tab at either end, which parsers strip before Envoy matches.
 * States: 0 nothing yet, 1 after a visible character, 2 after space or tab.
 */
const HEADER_VALUE: TextAutomaton = {
  start: 0,
  next: (state, char) => {
    if (char === SPACE || char === TAB) return state === 0 ? undefined : 2;
    return CONTROLS.includes(char) ? undefined : 1;
  },
  accepts: (state) => state !== 2,
  distinct: CONTROLS.concat(SPACE),
  other: LETTER,
};

/** Whether some carriable text fully matches a regex; a fleet repeats its few cookie and header regexes. */
const carriableRegex = new Map<TextAutomaton, (pattern: string) => boolean>(
  [QUERY_VALUE, HEADER_VALUE].map((automaton) => [automaton, rememberedByText((pattern) => regexAcceptsSome(automaton, pattern))]),
);

const QUERY_RULE = 'raw query text a request can carry (Envoy compares it undecoded, so write a space as clients send it, %20 or +; no "#", "&" or control characters)';
const HEADER_RULE = 'a value HTTP can carry (no control characters but tab, no space or tab at either end)';

/**
 * The conditions of a match that no request can meet because no request
 * carries such a value, one line each: `<field> must be <rule>, received <value>`.
 */
export function uncarriableValues(match: HttpMatchJson): string[] {
  const problems: string[] = [];
  for (const [name, condition] of Object.entries(match.queryParams ?? {})) {
    if (!acceptsText(QUERY_NAME, name)) problems.push(`query parameter name must be ${QUERY_RULE.replace('"#", "&"', '"=", "#", "&"')}, received ${JSON.stringify(name)}`);
    const received = uncarriable(QUERY_VALUE, condition);
    if (received) problems.push(`query parameter "${name}" must be ${QUERY_RULE}, received ${received}`);
  }
  for (const [name, condition] of Object.entries(match.headers ?? {})) {
    const received = uncarriable(HEADER_VALUE, condition);
    if (received) problems.push(`header "${name}" must be ${HEADER_RULE}, received ${received}`);
  }
  return problems;
}

/** How the condition is written, when no carriable text meets it; undefined when some does. */
function uncarriable(automaton: TextAutomaton, condition: StringMatchJson): string | undefined {
  if ('exact' in condition) return acceptsText(automaton, condition.exact) ? undefined : `exact ${JSON.stringify(condition.exact)}`;
  if ('prefix' in condition) return acceptsPrefix(automaton, condition.prefix) ? undefined : `prefix ${JSON.stringify(condition.prefix)}`;
  // Istio turns the regex "*" into a presence match.
  if (condition.regex === '*' || carriableRegex.get(automaton)!(condition.regex)) return undefined;
  return `regex ${JSON.stringify(condition.regex)}, which matches only values no request carries`;
}
