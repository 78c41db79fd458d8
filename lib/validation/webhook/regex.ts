import { RE2JS } from 're2js';

/** Envoy's RE2 program-size limit, approximated by Istio as a length limit. */
export const MAX_REGEX_LENGTH = 1024;

/**
 * Compiles like Go's regexp.Compile (RE2 syntax: no lookaround, no backreferences) and returns
 * Go's error text, e.g. "error parsing regexp: invalid or unsupported Perl syntax: `(?=`", or undefined.
 */
export function re2CompileError(pattern: string): string | undefined {
  // Compiling is the dearest check we make, and fleets repeat the same few
  // patterns (cookie and header matches) thousands of times.
  if (compileErrors.has(pattern)) return compileErrors.get(pattern);
  let error: string | undefined;
  try {
    RE2JS.compile(pattern);
  } catch (thrown) {
    error = thrown instanceof Error ? thrown.message : String(thrown);
  }
  compileErrors.set(pattern, error);
  return error;
}

const compileErrors = new Map<string, string | undefined>();

/** Istio's validateStringRegexp: `where` names the field in the message, e.g. "uri". */
export function istioRegexError(pattern: string, where: string): string | undefined {
  if (Buffer.byteLength(pattern, 'utf8') > MAX_REGEX_LENGTH) {
    return `"${where}": regex is too large, max length allowed is ${MAX_REGEX_LENGTH}`;
  }
  const error = re2CompileError(pattern);
  if (error === undefined) return undefined;
  return `"${where}": ${error}; Istio uses RE2 style regex-based match (https://github.com/google/re2/wiki/Syntax)`;
}
