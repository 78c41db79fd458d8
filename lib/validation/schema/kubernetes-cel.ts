import { Environment } from '@marcbachmann/cel-js';
import { escapedPath, GoUrlError, parseRequestUri, parseUrl, queryValues, splitHostPort, type GoUrl } from '../core/go-url';

/**
 * The CEL the API server evaluates `x-kubernetes-validations` with: cel-js plus what Kubernetes adds and the
 * CRDs we validate use. cel-js already has the standard macros (`all`, `exists`, `exists_one`, `filter`, `has`),
 * `size`, `matches`, `startsWith`/`endsWith`/`contains`, `split`, `duration`. Added here, with Kubernetes'
 * semantics (k8s.io/apiserver/pkg/cel):
 * - the URL library (`isURL`, `url`, `getScheme`, `getHost`, `getHostname`, `getPort`, `getEscapedPath`,
 *   `getQuery`), which Istio's RequestAuthentication `jwksUri` rule calls;
 * - how an object becomes a CEL value (`toCelValue`): property names escaped (`namespace` is `__namespace__`),
 *   integers as CEL ints;
 * - the message of a rule whose evaluation fails (`evaluationErrorMessage`);
 * - `has(e.f)` on any expression `e` (`has(self.matches[0].path)`), which cel-go allows and cel-js refuses
 *   unless `e` is a chain of names (`parseRule`).
 */

/** A URL value (apiserver/pkg/cel.URL): url.Parse's result, after url.ParseRequestURI accepted the text. */
class KubernetesUrl {
  public constructor(public readonly url: GoUrl) {}
}

function toUrl(text: string): KubernetesUrl {
  try {
    parseRequestUri(text);
    return new KubernetesUrl(parseUrl(text));
  } catch (error) {
    if (!(error instanceof GoUrlError)) throw error;
    throw new Error(`URL parse error during conversion from string: parse ${JSON.stringify(text)}: ${error.message}`);
  }
}

function isUrl(text: string): boolean {
  try {
    parseRequestUri(text);
    return true;
  } catch (error) {
    if (error instanceof GoUrlError) return false;
    throw error;
  }
}

// Kubernetes CEL has no declared variable types here: `self` is whatever the field holds.
export const celEnvironment = new Environment({ unlistedVariablesAreDyn: true, homogeneousAggregateLiterals: false })
  .registerType('URL', KubernetesUrl)
  .registerFunction('url(string): URL', toUrl)
  .registerFunction('isURL(string): bool', isUrl)
  .registerFunction('URL.getScheme(): string', (u: KubernetesUrl) => u.url.scheme)
  .registerFunction('URL.getHost(): string', (u: KubernetesUrl) => u.url.host)
  .registerFunction('URL.getHostname(): string', (u: KubernetesUrl) => splitHostPort(u.url.host).hostname)
  .registerFunction('URL.getPort(): string', (u: KubernetesUrl) => splitHostPort(u.url.host).port)
  .registerFunction('URL.getEscapedPath(): string', (u: KubernetesUrl) => escapedPath(u.url))
  .registerFunction('URL.getQuery(): map<string, list<string>>', (u: KubernetesUrl) => queryValues(u.url.rawQuery));

/** Compiles a rule, `has()` calls on other operands than a chain of names rewritten (see hasOperandsAsIn). */
export function parseRule(source: string): (context: { self: unknown }) => unknown {
  return celEnvironment.parse(hasOperandsAsIn(source)) as (context: { self: unknown }) => unknown;
}

/**
 * `has(e.f)` where `e` is not a chain of names becomes `('f' in e)`: the same presence test on the
 * JSON objects the rules read (maps), with the same errors when `e` itself cannot be evaluated.
 */
export function hasOperandsAsIn(source: string): string {
  let out = '';
  let i = 0;
  while (i < source.length) {
    const literal = stringLiteralAt(source, i);
    if (literal > i) {
      out += source.slice(i, literal);
      i = literal;
      continue;
    }
    if (/^has\s*\(/.test(source.slice(i)) && !/[\w.]/.test(source[i - 1] ?? '')) {
      const open = source.indexOf('(', i);
      const close = matchingParen(source, open);
      const operand = source.slice(open + 1, close).trim();
      const field = /^(.*)\.\s*([A-Za-z_]\w*)$/s.exec(operand);
      if (field && !/^[A-Za-z_]\w*(\s*\.\s*[A-Za-z_]\w*)*$/.test(field[1].trim())) {
        out += `('${field[2]}' in ${hasOperandsAsIn(field[1])})`;
        i = close + 1;
        continue;
      }
    }
    out += source[i++];
  }
  return out;
}

/** Where the string literal starting at `i` ends (after its closing quote), or `i` when none starts there. */
function stringLiteralAt(source: string, i: number): number {
  const prefix = /^[rRbB]{0,2}("""|'''|"|')/.exec(source.slice(i));
  if (!prefix || (i > 0 && /\w/.test(source[i - 1]))) return i;
  const quote = prefix[1];
  const raw = /[rR]/.test(prefix[0].slice(0, -quote.length));
  let j = i + prefix[0].length;
  while (j < source.length && !source.startsWith(quote, j)) j += !raw && source[j] === '\\' ? 2 : 1;
  return j + quote.length;
}

function matchingParen(source: string, open: number): number {
  let depth = 0;
  for (let j = open; j < source.length; ) {
    const literal = stringLiteralAt(source, j);
    if (literal > j) {
      j = literal;
      continue;
    }
    if (source[j] === '(') depth++;
    else if (source[j] === ')' && --depth === 0) return j;
    j++;
  }
  return source.length;
}

type Schema = { readonly [keyword: string]: any };

const RESERVED = new Set(['true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while']);

/** apiserver/pkg/cel.Escape: how a property name reads in CEL; undefined when CEL cannot name it. */
export function escapePropertyName(name: string): string | undefined {
  if (name === '' || /^[0-9]/.test(name)) return undefined;
  if (RESERVED.has(name)) return `__${name}__`;
  if (/^[A-Za-z0-9_]*$/.test(name) && !name.includes('__')) return name;
  let ok = true;
  const escaped = name.replace(/__|[-./]|[^a-zA-Z0-9\-./_]/g, (s) => {
    switch (s) {
      case '__': return '__underscores__';
      case '.': return '__dot__';
      case '-': return '__dash__';
      case '/': return '__slash__';
      default:
        ok = false;
        return '';
    }
  });
  return ok ? escaped : undefined;
}

const converted = new WeakMap<object, unknown>();

/**
 * The value as the API server hands it to CEL, following its schema: objects' property names escaped
 * (map keys are not: they are data), integers as CEL ints (`bigint`), the rest as is.
 */
export function toCelValue(value: unknown, schema: Schema | undefined): unknown {
  if (value === null || value === undefined || !schema) return value;
  if (typeof value === 'number') return schema.type === 'integer' || (schema['x-kubernetes-int-or-string'] && Number.isInteger(value)) ? BigInt(value) : value;
  if (typeof value !== 'object') return value;
  const known = converted.get(value);
  if (known !== undefined) return known;
  let out: unknown;
  if (Array.isArray(value)) out = value.map((item) => toCelValue(item, schema.items));
  else if (schema.properties) {
    const object: Record<string, unknown> = {};
    for (const [name, field] of Object.entries(value as Record<string, unknown>)) {
      const escaped = escapePropertyName(name);
      if (escaped !== undefined && field !== undefined) object[escaped] = toCelValue(field, schema.properties[name]);
    }
    out = object;
  } else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    out = Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, entry]) => [key, toCelValue(entry, schema.additionalProperties)]));
  } else out = value;
  converted.set(value, out);
  return out;
}

/** The API server's text for a rule that could not be evaluated: `no such key: certificateRefs evaluating rule: <message>`. */
export function evaluationErrorMessage(error: unknown, ruleMessage: string): string {
  const text = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return `${text.charAt(0).toLowerCase()}${text.slice(1)} evaluating rule: ${ruleMessage}`;
}
