import { existsSync } from 'node:fs';
import { Command } from 'commander';
import { CliIo, parseArguments } from '../../cli';
import { UserError } from '../../errors';
import { GateUnavailable } from '../gate/prometheus';
import { ImpossibleMove, MoveName } from '../moves';
import { promoteThroughGate } from './gated-promote';
import { applyPosition, nextPosition } from './move';
import { BuildApp, ReleaseApp } from './release-app';
import { statusJson, statusText } from './status';

/** Exit codes: 0 done, 1 refused by the gate or the app does not synthesize, 2 impossible move or bad usage. */
export const EXIT = { OK: 0, REFUSED: 1, IMPOSSIBLE: 2 } as const;

interface GlobalOptions {
  outdir?: string;
  releases?: string;
}

type Action = () => Promise<number>;

/**
 * `release status [--json] | promote <ns/service> [--prometheus URL] [--rollback-on-failure]
 *  | rollback <ns/service> | complete <ns/service> [--skip-gate REASON]`, on the app `build` returns.
 */
export async function runReleaseCli(argv: readonly string[], io: CliIo, build: BuildApp): Promise<number> {
  let action: Action | undefined;
  const program = new Command('release')
    .description('Move progressive releases (Strategy.progressive) one commit at a time: releases.yaml and dist/ together')
    .option('--outdir <dir>', 'where the manifests go (default: the app\'s outdir; a move needs --releases with it)')
    .option('--releases <file>', 'the release positions file (default: the app\'s releasesFile; a move needs --outdir with it)');
  const globals = (): GlobalOptions => program.opts<GlobalOptions>();
  /** The app as it stands; `move`: it is about to be written. */
  const current = (move = false) => {
    const { outdir, releases } = globals();
    // A mistyped path would read as "nothing recorded" and restart every release at step 0.
    if (releases !== undefined && !existsSync(releases)) throw new UsageError(`--releases: no such file, received "${releases}"`);
    if (move) checkPair(releases, outdir);
    // Neither given: the app's own pair, as its code names them.
    return ReleaseApp.synthesize(build, { ...(outdir !== undefined && { outdir }), ...(releases !== undefined && { releasesFile: releases }) });
  };

  program.command('status').description('where each release stands')
    .option('--json', 'print [{ service, from, to, step, steps, weights }]', false)
    .action((opts: { json: boolean }) => {
      action = async () => {
        const releases = current().releases;
        io.stdout(opts.json ? `${JSON.stringify(statusJson(releases), null, 2)}\n` : statusText(releases));
        return EXIT.OK;
      };
    });
  program.command('promote').description('move one step forward; with --prometheus, only when the candidate passes every check')
    .argument('<ns/service>')
    .option('--prometheus <url>', 'gate the step on the candidate\'s metrics in this Prometheus')
    .option('--rollback-on-failure', 'roll back when the candidate fails a check (needs --prometheus)', false)
    .action((service: string, opts: { prometheus?: string; rollbackOnFailure: boolean }) => {
      action = async () => {
        if (opts.rollbackOnFailure && !opts.prometheus) throw new UsageError('--rollback-on-failure needs --prometheus <url>');
        const app = current(true);
        const release = app.release(service);
        const next = nextPosition('promote', release);
        if (opts.prometheus) return promoteThroughGate({ build, app, release, next, prometheus: opts.prometheus, rollbackOnFailure: opts.rollbackOnFailure, io });
        io.stdout(applyPosition(build, app, release, next));
        return EXIT.OK;
      };
    });
  const move = (name: MoveName, service: string, skipGate?: string) => {
    action = async () => {
      if (skipGate !== undefined && skipGate.trim() === '') throw new UsageError('--skip-gate must give the reason, received ""');
      const app = current(true);
      const release = app.release(service);
      io.stdout(applyPosition(build, app, release, nextPosition(name, release, skipGate)));
      return EXIT.OK;
    };
  };
  program.command('rollback').description('send all traffic back to from').argument('<ns/service>').action((service: string) => move('rollback', service));
  program.command('complete').description('send all traffic to to, for good')
    .argument('<ns/service>')
    .option('--skip-gate <reason>', 'complete before the last step, past the gate; the reason is recorded in releases.yaml and npm run diff rates it risky')
    .action((service: string, opts: { skipGate?: string }) => move('complete', service, opts.skipGate));

  const ended = parseArguments(program, argv, io);
  if (ended !== undefined) return ended;
  if (!action) {
    io.stderr(program.helpInformation());
    return EXIT.IMPOSSIBLE;
  }
  try {
    return await action();
  } catch (error) {
    if (error instanceof ImpossibleMove || error instanceof UsageError) {
      io.stderr(`error: ${(error as Error).message}; nothing was written\n`);
      return EXIT.IMPOSSIBLE;
    }
    if (error instanceof UserError || error instanceof GateUnavailable) {
      io.stderr(`error: ${error.message}\n`);
      return EXIT.REFUSED;
    }
    throw error;
  }
}

class UsageError extends UserError {}

/**
 * A move writes a positions file and the output directory synthesized from
 * it, as one pair. The app's own pair is its releasesFile and dist/: another
 * positions file written with dist/ (or dist/ with another output) would
 * leave dist/ disagreeing with the file synth reads. So another file comes
 * with its own output directory, and the other way round.
 */
function checkPair(releases: string | undefined, outdir: string | undefined): void {
  if (releases !== undefined && outdir === undefined) {
    throw new UsageError(`--releases: a move must also name the output directory synthesized from it (--outdir), since dist/ belongs to the app's own releases file, received --releases ${releases} alone`);
  }
  if (outdir !== undefined && releases === undefined) {
    throw new UsageError(`--outdir: a move must also name the positions file it is synthesized from (--releases), since the app's own releases file belongs to dist/, received --outdir ${outdir} alone`);
  }
}
