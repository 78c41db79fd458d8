import { Duration } from 'cdk8s';
import { UserError } from '../errors';
import { RequestMatch } from '../match/request-match';
import { checkSplit, VersionSplit } from './version-split';
import { RuleDraft, StrategyContext, TrafficStrategy } from './traffic-strategy';

/** The cookie's SameSite attribute. */
export enum SameSite {
  STRICT = 'Strict',
  LAX = 'Lax',
  NONE = 'None',
}

export interface StickyCookieOptions {
  /**
   * Send the cookie over HTTPS only.
   * @default true when the service is exposed through a gateway, else false
   */
  readonly secure?: boolean;
  /** @default SameSite.LAX */
  readonly sameSite?: SameSite;
  /** @default none: the host that answered */
  readonly domain?: string;
  /** @default '/' */
  readonly path?: string;
}

export interface StickyCanaryOptions {
  readonly split: VersionSplit;
  /**
   * The cookie that remembers which version a user got.
   * @default 'model-version'
   */
  readonly cookie?: string;
  /**
   * How long a user stays on the version they got.
   * @default Duration.days(1)
   */
  readonly maxAge?: Duration;
  readonly cookieAttributes?: StickyCookieOptions;
}

const TOKEN = /^[!#$&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * A canary where a user who got a version keeps getting it. Consistent-hash
 * load balancing alone cannot do this across weighted subsets, so each
 * version that takes traffic gets a rule matching its cookie, placed before
 * the weighted rule, and the weighted rule sets the cookie of the
 * destination that answered. A version at 0% gets no cookie rule: rolling
 * back to 0% moves pinned users off it at once.
 */
export class StickyCanary extends TrafficStrategy {
  private readonly entries: Array<[string, number]>;
  private readonly cookie: string;
  private readonly maxAgeSeconds: number;

  public constructor(private readonly options: StickyCanaryOptions) {
    super();
    this.entries = checkSplit('Strategy.stickyCanary', options.split);
    this.cookie = options.cookie ?? 'model-version';
    if (!TOKEN.test(this.cookie)) {
      throw new UserError(`Strategy.stickyCanary: cookie must be an HTTP token without '%', received "${this.cookie}"`);
    }
    this.maxAgeSeconds = (options.maxAge ?? Duration.days(1)).toSeconds();
    if (!Number.isInteger(this.maxAgeSeconds) || this.maxAgeSeconds < 1) {
      throw new UserError(`Strategy.stickyCanary: maxAge must be a whole number of seconds of at least 1, received ${this.maxAgeSeconds}s`);
    }
    const { domain, path } = options.cookieAttributes ?? {};
    if (domain !== undefined && !/^\.?[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/.test(domain)) {
      throw new UserError(`Strategy.stickyCanary: cookieAttributes.domain must be a lower-case domain name, received "${domain}"`);
    }
    if (path !== undefined && !/^\/[^;\s]*$/.test(path)) {
      throw new UserError(`Strategy.stickyCanary: cookieAttributes.path must start with "/" and hold no ';' or space, received "${path}"`);
    }
  }

  public referencedVersions(): string[] {
    return this.entries.map(([version]) => version);
  }

  public check(context: StrategyContext): string[] {
    const attributes = this.options.cookieAttributes ?? {};
    if (attributes.sameSite === SameSite.NONE && !(attributes.secure ?? context.exposedThroughGateway)) {
      return ['Strategy.stickyCanary: cookieAttributes.sameSite None needs secure: true (browsers drop the cookie otherwise), received secure: false'];
    }
    return [];
  }

  public rules(context: StrategyContext): RuleDraft[] {
    const serving = this.entries.filter(([, weight]) => weight > 0);
    const pinned: RuleDraft[] = serving.map(([version]) => ({
      suffix: `sticky-${version.toLowerCase()}`,
      when: RequestMatch.cookie(this.cookie, version),
      destinations: [{ version }],
    }));
    const weighted: RuleDraft = {
      destinations: this.entries.map(([version, weight]) => ({
        version,
        weight,
        addResponseHeaders: { 'set-cookie': this.setCookie(version, context) },
      })),
    };
    return [...pinned, weighted];
  }

  private setCookie(version: string, context: StrategyContext): string {
    const attributes = this.options.cookieAttributes ?? {};
    const parts = [`${this.cookie}=${version}`, `Path=${attributes.path ?? '/'}`];
    if (attributes.domain !== undefined) parts.push(`Domain=${attributes.domain}`);
    parts.push(`Max-Age=${this.maxAgeSeconds}`, 'HttpOnly');
    if (attributes.secure ?? context.exposedThroughGateway) parts.push('Secure');
    parts.push(`SameSite=${attributes.sameSite ?? SameSite.LAX}`);
    return parts.join('; ');
  }
}
