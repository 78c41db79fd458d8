import { Duration } from 'cdk8s';
import { UserError } from '../errors';
import { RequestMatch } from '../match/request-match';
import { checkSplit, VersionSplit } from './version-split';
import { RuleDraft, TrafficStrategy } from './traffic-strategy';

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
}

/**
 * A canary where a user who got a version keeps getting it. Consistent-hash
 * load balancing alone cannot do this across weighted subsets, so each
 * version gets a rule matching its cookie, placed before the weighted rule,
 * and the weighted rule sets the cookie of the destination that answered.
 */
export class StickyCanary extends TrafficStrategy {
  private readonly entries: Array<[string, number]>;
  private readonly cookie: string;
  private readonly maxAgeSeconds: number;

  public constructor(options: StickyCanaryOptions) {
    super();
    this.entries = checkSplit('Strategy.stickyCanary', options.split);
    this.cookie = options.cookie ?? 'model-version';
    if (!/^[!#$&'*+\-.^_`|~0-9A-Za-z]+$/.test(this.cookie)) {
      throw new UserError(`Strategy.stickyCanary: cookie must be an HTTP token without '%', received "${this.cookie}"`);
    }
    this.maxAgeSeconds = (options.maxAge ?? Duration.days(1)).toSeconds();
    if (!Number.isInteger(this.maxAgeSeconds) || this.maxAgeSeconds < 1) {
      throw new UserError(`Strategy.stickyCanary: maxAge must be a whole number of seconds of at least 1, received ${this.maxAgeSeconds}s`);
    }
  }

  public referencedVersions(): string[] {
    return this.entries.map(([version]) => version);
  }

  public rules(): RuleDraft[] {
    const pinned: RuleDraft[] = this.entries.map(([version]) => ({
      suffix: `sticky-${version.toLowerCase()}`,
      when: RequestMatch.cookie(this.cookie, version),
      destinations: [{ version }],
    }));
    const weighted: RuleDraft = {
      destinations: this.entries.map(([version, weight]) => ({
        version,
        weight,
        addResponseHeaders: { 'set-cookie': `${this.cookie}=${version}; Path=/; Max-Age=${this.maxAgeSeconds}; HttpOnly` },
      })),
    };
    return [...pinned, weighted];
  }
}
