import { UserError } from '../errors';
import { Percent } from '../values/percent';
import { DestinationDraft } from './traffic-strategy';

/** Whole percentages per version, e.g. `{ v1: Percent.of(90), v2: Percent.of(10) }`. */
export type VersionSplit = Readonly<Record<string, Percent>>;

/**
 * Checks a split and returns its entries in declaration order. Istio treats
 * weights as relative, so 30/30 is a valid 50/50 there; we require whole
 * percentages that add up to exactly 100 so that the file says what happens.
 */
export function checkSplit(where: string, split: VersionSplit): Array<[string, number]> {
  const entries = Object.entries(split).map(([version, percent]): [string, number] => {
    if (!(percent instanceof Percent)) {
      throw new UserError(`${where}: the share of "${version}" must be a Percent (Percent.of(n)), received ${JSON.stringify(percent)}`);
    }
    if (!percent.isWhole) {
      throw new UserError(`${where}: the share of "${version}" must be a whole percentage, received ${percent.value}`);
    }
    return [version, percent.value];
  });
  if (entries.length < 2) {
    throw new UserError(`${where}: a split needs at least two versions, received ${entries.length} (${entries.map(([v]) => v).join(', ') || 'none'})`);
  }
  const total = entries.reduce((sum, [, value]) => sum + value, 0);
  if (total !== 100) {
    const terms = entries.map(([v, value]) => `${v}=${value}`).join(' + ');
    throw new UserError(`${where}: percentages must add up to exactly 100, received ${terms} = ${total}`);
  }
  return entries;
}

export function weightedDestinations(entries: ReadonlyArray<[string, number]>): DestinationDraft[] {
  return entries.map(([version, weight]) => ({ version, weight }));
}
