import { uncarriableValues } from '../match/carriable-values';
import { ServiceModel } from './service-model';

/**
 * Query and header conditions no request can meet, because no request
 * carries such a value (a raw space in a query value, a control character
 * in a header): the rule would silently never match. Every rule is read, so
 * strategies' and faults' own conditions are checked with the routes'.
 */
export function uncarriableMatchProblems(model: ServiceModel): string[] {
  const problems = new Set<string>();
  for (const rule of model.rules) {
    for (const match of rule.matches) {
      for (const problem of uncarriableValues(match.toJson())) problems.add(`route "${rule.route}": ${problem}`);
    }
  }
  return [...problems];
}
