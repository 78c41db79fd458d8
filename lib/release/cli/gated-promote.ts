import { runGate } from '../gate/gate';
import { resolveHost } from '../../traffic/hosts';
import { ReleasePosition } from '../release-plan';
import { applyPosition, nextPosition } from './move';
import { BuildApp, Release, ReleaseApp } from './release-app';
import type { CliIo } from '../../cli';

export interface GatedPromote {
  readonly build: BuildApp;
  readonly app: ReleaseApp;
  readonly release: Release;
  readonly next: ReleasePosition;
  readonly prometheus: string;
  readonly rollbackOnFailure: boolean;
  readonly io: CliIo;
}

/**
 * Promotes only when the candidate passes every check; prints each check.
 * Exit 1 when refused (after rolling back, with rollbackOnFailure and a
 * failing candidate). Prometheus errors propagate as GateUnavailable: the
 * caller exits 1 and nothing is written.
 */
export async function promoteThroughGate(step: GatedPromote): Promise<number> {
  const { release, io } = step;
  // Istio reports destination_service as the FQDN.
  const candidate = { fqdn: resolveHost(release.host, release.namespace), version: release.plan.to };
  io.stdout(`${release.service}: gate on ${candidate.version} of ${candidate.fqdn} (${step.prometheus})\n`);
  const verdict = await runGate(step.prometheus, candidate, release.plan.analysis);
  for (const check of verdict.checks) io.stdout(`  ${check.line}\n`);
  if (verdict.passed) {
    // Recorded for npm run diff: the gate let this step through, with these shares.
    const gated = { ...step.next, gated: { step: step.next.step, weights: release.plan.weightsAt(step.next) } };
    io.stdout(applyPosition(step.build, step.app, release, gated));
    return 0;
  }
  const failed = verdict.checks.filter((c) => !c.passed).map((c) => c.name).join(', ');
  if (step.rollbackOnFailure && verdict.candidateFailed) {
    io.stdout(`${release.service}: ${release.plan.to} failed ${failed}; rolling back\n`);
    io.stdout(applyPosition(step.build, step.app, release, nextPosition('rollback', release)));
    return 1;
  }
  const why = verdict.candidateFailed ? '' : ' (too few requests to judge: not rolled back)';
  io.stderr(`${release.service}: not promoted: ${failed} failed${step.rollbackOnFailure ? why : ''}; nothing was written\n`);
  return 1;
}
