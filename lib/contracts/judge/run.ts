import fc from 'fast-check';
import { UserError } from '../../errors';
import { buildApp } from '../build';
import { RoutingApi } from '../../model-service-props';
import { RoutingAppProps } from '../../synth/routing-app';
import { expectedOutcome } from '../contract';
import { Outcome } from '../outcome';
import { ProbeRequest, ServiceDecl } from '../declaration';
import { serviceDeclaration } from '../generate/declarations';
import { probeRequest } from '../generate/requests';
import { excludedApp, excludedRequest } from '../known-open';
import { Disagreement, judgeApp } from './judge-app';

export interface ContractRunOptions {
  readonly apps: number;
  readonly requestsPerApp: number;
  readonly seed: number;
  /** Replays one failure: fast-check's counterexample path. */
  readonly path?: string;
}

export interface ContractReport {
  readonly apps: number;
  readonly requests: number;
  readonly disagreements: number;
  /** Generated declarations the library refused (not counted as apps). */
  readonly refused: number;
  /** The first disagreement, shrunk to a minimal declaration and request, with how to replay it. */
  readonly failure?: string;
}

/**
 * A generated app: a declaration and the requests that probe it, less those
 * known-open.ts leaves out (dropped, not regenerated: an app whose requests
 * are all left out would otherwise never finish).
 */
export function appArbitrary(requestsPerApp: number): fc.Arbitrary<[ServiceDecl, ProbeRequest[]]> {
  return serviceDeclaration
    .filter((decl) => !excludedApp(decl))
    .chain((decl) => fc.tuple(
      fc.constant(decl),
      fc.array(probeRequest(decl), { minLength: requestsPerApp, maxLength: requestsPerApp })
        .map((requests) => requests.filter((request) => !excludedRequest(decl, request))),
    ));
}

/**
 * Runs the generated apps: first counting every disagreement, then, when
 * there is one, letting fast-check shrink the first to a minimal app.
 */
export function runContracts(options: ContractRunOptions): ContractReport {
  let apps = 0;
  let requests = 0;
  let disagreements = 0;
  let refused = 0;
  const arbitrary = appArbitrary(options.requestsPerApp);
  const counting = fc.property(arbitrary, ([decl, probes]) => {
    const verdict = judgeApp(decl, probes);
    if (verdict.refused) {
      refused += 1;
      fc.pre(false);
      return true;
    }
    apps += 1;
    requests += probes.length;
    disagreements += verdict.disagreements.length;
    return true;
  });
  const settings = { seed: options.seed, numRuns: options.apps, maxSkipsPerRun: 10, ...(options.path !== undefined && { path: options.path }) };
  const counted = fc.check(counting, settings);
  if (counted.failed && options.path !== undefined && counted.errorInstance === null) {
    // fast-check replays a path only within the run of its own seed and sizes.
    throw new UserError(`--path ${options.path} does not replay a run of seed ${options.seed} with these --apps and --requests: give the seed and path a disagreement printed`);
  }
  if (counted.failed) throw new Error(`contracts: the run itself failed: ${String(counted.errorInstance)}`);
  if (disagreements === 0 && options.path === undefined) return { apps, requests, disagreements, refused };

  let first: { decl: ServiceDecl; disagreement: Disagreement } | undefined;
  const asserting = fc.property(arbitrary, ([decl, probes]) => {
    const verdict = judgeApp(decl, probes);
    fc.pre(!verdict.refused);
    if (verdict.refused || verdict.disagreements.length === 0) return true;
    first = { decl, disagreement: verdict.disagreements[0] };
    return false;
  });
  const shrunk = fc.check(asserting, settings);
  const failure = shrunk.failed && first
    ? describeFailure(first.decl, first.disagreement, shrunk.seed, shrunk.counterexamplePath)
    : undefined;
  return { apps, requests, disagreements, refused, failure };
}

export function describeFailure(decl: ServiceDecl, d: Disagreement, seed: number, path: string | null): string {
  return [
    `contracts: disagreement (replay: npm run contracts -- --seed ${seed}${path ? ` --path ${path}` : ''})`,
    `  declaration: ${JSON.stringify(decl)}`,
    d.request ? `  request:     ${JSON.stringify(d.request)}` : `  version:     ${d.version}`,
    `  contract:    ${JSON.stringify(d.expected)}`,
    `  explain:     ${JSON.stringify(d.got)}`,
  ].join('\n');
}

/** A generated app the library accepted, with its objects and each request's contract, for judges outside this process (Istio). */
export interface GeneratedApp {
  readonly decl: ServiceDecl;
  readonly objects: readonly Record<string, any>[];
  readonly requests: readonly ProbeRequest[];
  readonly expected: readonly Outcome[];
}

/**
 * The first `count` accepted apps of a seed's sample, rendered with `api` (the Istio API
 * unless said) for a cluster with the Gateway API CRDs `cluster` says.
 */
export function generatedApps(
  count: number, requestsPerApp: number, seed: number, api: RoutingApi = 'istio', cluster: Pick<RoutingAppProps, 'gatewayApiChannel'> = {},
): GeneratedApp[] {
  const apps: GeneratedApp[] = [];
  for (const [decl, requests] of fc.sample(appArbitrary(requestsPerApp), { seed, numRuns: count * 3 })) {
    if (apps.length === count) break;
    const built = buildApp(decl, api, cluster);
    if (built.ok) apps.push({ decl, objects: built.objects, requests, expected: requests.map((r) => expectedOutcome(decl, r)) });
  }
  return apps;
}
