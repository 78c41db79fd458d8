import { isDeepStrictEqual } from 'node:util';
import { buildApp } from '../build';
import { expectedOutcome } from '../contract';
import { ProbeRequest, ServiceDecl } from '../declaration';
import { versionPolicy } from '../policies';
import { explainedOutcome, observedVersionPolicies, trafficModelOf } from './observe';

/** One request (or one version's policy) where the contract and the YAML, read by `explain`, differ. */
export interface Disagreement {
  readonly request?: ProbeRequest;
  readonly version?: string;
  readonly expected: unknown;
  readonly got: unknown;
}

export type AppVerdict =
  | { readonly refused: true; readonly problems: readonly string[] }
  | { readonly refused: false; readonly checks: number; readonly disagreements: readonly Disagreement[] };

/**
 * Synthesizes the declaration, then holds every request's contract against
 * what `explain` answers on the YAML, and every version's policy contract
 * against the DestinationRule.
 */
export function judgeApp(decl: ServiceDecl, requests: readonly ProbeRequest[]): AppVerdict {
  const built = buildApp(decl);
  if (!built.ok) return { refused: true, problems: built.problems };
  const model = trafficModelOf(built.objects);
  const disagreements: Disagreement[] = [];
  for (const request of requests) {
    const expected = expectedOutcome(decl, request);
    const got = explainedOutcome(model, request);
    if (!isDeepStrictEqual(expected, got)) disagreements.push({ request, expected, got });
  }
  const policies = observedVersionPolicies(built.objects);
  for (const version of decl.versions) {
    const expected = versionPolicy(decl, version);
    const got = policies[version.name];
    if (!isDeepStrictEqual(expected, got)) disagreements.push({ version: version.name, expected, got });
  }
  return { refused: false, checks: requests.length + decl.versions.length, disagreements };
}
