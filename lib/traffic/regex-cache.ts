import { RE2JS } from 're2js';

/** Compiled RE2 programs by pattern: a fleet repeats the same few cookie and header regexes. */
const compiled = new Map<string, RE2JS>();

/** Envoy's safe_regex: RE2, and the whole value must match. */
export function re2FullMatch(pattern: string, value: string): boolean {
  let program = compiled.get(pattern);
  if (!program) {
    program = RE2JS.compile(pattern);
    compiled.set(pattern, program);
  }
  return program.matches(value);
}

/** Envoy's regex_rewrite: every match of `pattern` replaced, `\1` naming a capture group. */
export function re2ReplaceAll(pattern: string, value: string, substitution: string): string {
  if (!compiled.has(pattern)) compiled.set(pattern, RE2JS.compile(pattern));
  // re2js substitutes `$1`; Envoy (and Istio's docs) write `\1`.
  return compiled.get(pattern)!.matcher(value).replaceAll(substitution.replace(/\\(\d)/g, '$$$1'));
}
