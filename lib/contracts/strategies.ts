import { MatchDecl, StrategyDecl } from './declaration';
import { matchHolds } from './match';
import { RequestFacts } from './request-facts';

/** Which versions answer a request that reached a route, and which get a copy. */
export interface Served {
  /** Percent per version; versions at 0% are left out. */
  readonly shares: Readonly<Record<string, number>>;
  readonly mirrors: Readonly<Record<string, number>>;
}

/** What a strategy may know: the service's versions (declaration order) and stable version. */
export interface StrategyScope {
  readonly versions: readonly string[];
  readonly stable: string;
  /** Whether test rules (a blue/green preview) apply to this caller: see exposure.ts. */
  readonly testRulesApply: boolean;
}

/** `x-preview: true`, Strategy.blueGreen's default preview condition. */
export const DEFAULT_PREVIEW_WHEN: MatchDecl = { headers: { 'x-preview': { exact: 'true' } } };
/** Strategy.stickyCanary's default cookie. */
export const DEFAULT_STICKY_COOKIE = 'model-version';

/**
 * Contract of each `Strategy`, for a request that reached its route:
 * - `to(v)`: all to v (the stable version when omitted);
 * - `canary(split)`: each version its percentage;
 * - `stickyCanary(split)`: a request whose cookie names a version with a share
 *   above 0% stays on it (the first such version in split order); any other
 *   request is split;
 * - `abTest`: the first variant whose condition holds takes it all; otherwise
 *   the `otherwise` strategy decides;
 * - `blueGreen`: all to active; to preview only when the preview condition
 *   holds and test rules apply to the caller;
 * - `shadow`: served by `serve`, copied to each mirrored version at its percentage;
 * - `progressive`: at the position releases.yaml records (step 0 when none):
 *   `to` takes the step's percentage (0 rolled back, 100 completed), `from` the rest.
 */
export function served(strategy: StrategyDecl, facts: RequestFacts, scope: StrategyScope): Served {
  switch (strategy.kind) {
    case 'to':
      return only(strategy.version ?? scope.stable);
    case 'canary':
      return split(strategy.split);
    case 'stickyCanary': {
      const cookie = strategy.cookie ?? DEFAULT_STICKY_COOKIE;
      const pinned = Object.entries(strategy.split).find(([version, share]) => share > 0 && facts.hasCookie(cookie, version));
      return pinned ? only(pinned[0]) : split(strategy.split);
    }
    case 'abTest': {
      const variant = strategy.variants.find((v) => matchHolds(v.when, facts));
      return variant ? only(variant.version) : served(strategy.otherwise, facts, scope);
    }
    case 'blueGreen': {
      const preview = strategy.preview ?? scope.versions.find((v) => v !== strategy.active)!;
      const asksPreview = scope.testRulesApply && matchHolds(strategy.previewWhen ?? DEFAULT_PREVIEW_WHEN, facts);
      return only(asksPreview ? preview : strategy.active);
    }
    case 'shadow': {
      const mirrors = Object.fromEntries(Object.entries(strategy.mirror).filter(([, percent]) => percent > 0));
      return { shares: served(strategy.serve, facts, scope).shares, mirrors };
    }
    case 'progressive': {
      const position = strategy.position ?? { state: 'progressing', step: 0 };
      const toShare = position.state === 'completed' ? 100 : position.state === 'rolled-back' || position.step === 0 ? 0 : strategy.steps[position.step - 1];
      return split({ [strategy.from]: 100 - toShare, [strategy.to]: toShare });
    }
  }
}

function only(version: string): Served {
  return { shares: { [version]: 100 }, mirrors: {} };
}

function split(shares: Readonly<Record<string, number>>): Served {
  return { shares: Object.fromEntries(Object.entries(shares).filter(([, share]) => share > 0)), mirrors: {} };
}
