import fc from 'fast-check';
import { compareOutputs, MigrationDifference } from '../../migration/compare-outputs';
import { buildApp } from '../build';
import { ServiceDecl } from '../declaration';
import { serviceDeclaration } from '../generate/declarations';
import { excludedApp } from '../known-open';

export interface MigrationRunReport {
  /** Generated declarations both outputs were synthesized for and compared. */
  readonly apps: number;
  /** Requests asked of both outputs, over all compared apps. */
  readonly requests: number;
  /** Requests routed otherwise that the Gateway API mapping does not name: each one a bug. */
  readonly differences: number;
  /** Requests whose difference the mapping names (Istio's retries on HTTPRoutes, external hosts from the mesh). */
  readonly named: number;
  /** Apps the Gateway API synth refused by the loss report (an option without an equivalent). */
  readonly lossy: number;
  /** Up to three differences, with their declarations, to reproduce. */
  readonly examples: readonly { readonly decl: ServiceDecl; readonly difference: MigrationDifference }[];
}

/**
 * The migration proof on apps nobody hand-picked: each generated declaration
 * the library accepts is synthesized with the Istio API and with the Gateway
 * API, and both outputs are asked the same requests (npm run diff -- --migration
 * on one app). A declaration the Gateway API synth refuses counts as lossy.
 */
export function runMigrationContracts(count: number, seed: number): MigrationRunReport {
  let apps = 0;
  let requests = 0;
  let differences = 0;
  let named = 0;
  let lossy = 0;
  const examples: Array<{ decl: ServiceDecl; difference: MigrationDifference }> = [];
  for (const decl of fc.sample(serviceDeclaration.filter((d) => !excludedApp(d)), { seed, numRuns: count * 10 })) {
    if (apps === count) break;
    const istio = buildApp(decl);
    if (!istio.ok) continue;
    // On a cluster with the experimental channel: an HTTPRoute `retry` is then compared, not refused.
    const gatewayApi = buildApp(decl, 'gateway-api', { gatewayApiChannel: 'experimental' });
    if (!gatewayApi.ok) {
      lossy += 1;
      continue;
    }
    apps += 1;
    const comparison = compareOutputs(istio.objects, gatewayApi.objects);
    requests += comparison.requests;
    for (const difference of comparison.differences) {
      if (difference.named) named += 1;
      else {
        differences += 1;
        if (examples.length < 3) examples.push({ decl, difference });
      }
    }
  }
  return { apps, requests, differences, named, lossy, examples };
}
