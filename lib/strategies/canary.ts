import { checkSplit, VersionSplit, weightedDestinations } from './version-split';
import { RuleDraft, TrafficStrategy } from './traffic-strategy';

/** A weighted split across two or more versions. */
export class Canary extends TrafficStrategy {
  private readonly entries: Array<[string, number]>;

  public constructor(split: VersionSplit) {
    super();
    this.entries = checkSplit('Strategy.canary', split);
  }

  public referencedVersions(): string[] {
    return this.entries.map(([version]) => version);
  }

  public rules(): RuleDraft[] {
    return [{ destinations: weightedDestinations(this.entries) }];
  }
}
