import { RE2JS } from 're2js';
import { UserError } from '../errors';
import { re2CompileError } from '../validation/regex';

/** The Istio StringMatch JSON: exactly one of exact, prefix or regex. */
export type StringMatchJson = { exact: string } | { prefix: string } | { regex: string };

/**
 * How a request attribute is compared. Regexes use RE2 syntax, as Envoy does:
 * they are compiled with an RE2 engine here, so lookahead or backreferences
 * fail at declaration instead of in the cluster.
 */
export class StringMatch {
  public static exact(value: string): StringMatch {
    return new StringMatch({ exact: value });
  }

  public static prefix(value: string): StringMatch {
    if (value === '') throw new UserError('StringMatch.prefix: prefix must not be empty, received ""');
    return new StringMatch({ prefix: value });
  }

  public static regex(pattern: string): StringMatch {
    if (pattern === '') throw new UserError('StringMatch.regex: regex must not be empty, received ""');
    if (pattern.length > 1024) {
      throw new UserError(`StringMatch.regex: regex must be at most 1024 characters, received ${pattern.length} characters`);
    }
    const error = re2CompileError(pattern);
    if (error !== undefined) throw new UserError(`StringMatch.regex: "${pattern}" is not a valid RE2 regex: ${error}`);
    return new StringMatch({ regex: pattern });
  }

  /**
   * A path prefix of whole segments: `/v1` takes `/v1` and `/v1/...`, never
   * `/v1x`, as the Gateway API's PathPrefix does. Istio's VirtualService has
   * no such match, so it gets the regex `<prefix>(/.*)?`; the Gateway API
   * output writes PathPrefix.
   */
  public static pathPrefix(prefix: string): StringMatch {
    if (prefix === '/') return StringMatch.prefix('/');
    if (!/^\/[^?#\s]*[^/?#\s]$/.test(prefix)) {
      throw new UserError(`StringMatch.pathPrefix: prefix must start with "/", hold no "?", "#" or space, and not end with "/" (segments are whole), received "${prefix}"`);
    }
    return new StringMatch({ regex: `${StringMatch.quote(prefix)}(/.*)?` }, prefix);
  }

  /** Escapes a literal for use inside an RE2 regex. */
  public static quote(literal: string): string {
    return RE2JS.quote(literal);
  }

  private constructor(
    private readonly json: StringMatchJson,
    /** Set when this is StringMatch.pathPrefix: the prefix as declared. */
    public readonly segmentPrefix?: string,
  ) {}

  public toJson(): StringMatchJson {
    return { ...this.json };
  }
}
