import { Command, InvalidArgumentError } from 'commander';
import { CliIo, parseArguments, reportingUserErrors } from '../lib/cli';
import { runContracts } from '../lib/contracts/judge/run';

export { generatedApps, runContracts } from '../lib/contracts/judge/run';

const fastCheckPath = (value: string) => {
  if (!/^\d+(:\d+)*$/.test(value)) throw new InvalidArgumentError(`must be a fast-check path such as 3:1:0, received "${value}"`);
  return value;
};

const whole = (value: string) => {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`must be a whole number, received "${value}"`);
  return Number(value);
};

/**
 * `contracts [--apps N] [--requests R] [--seed S] [--path P]`: generated apps,
 * each option's contract against `explain` on the synthesized YAML. Prints
 * `contracts: N apps, M requests, D disagreements`; exit 1 on a disagreement.
 */
export function runContractsCli(argv: readonly string[], io: CliIo): number {
  let options: { apps: number; requests: number; seed: number; path?: string } | undefined;
  const program = new Command('contracts')
    .description('Check each option\'s behavioural contract on generated apps against explain')
    .option('--apps <n>', 'generated apps (declarations the library accepts)', whole, 200)
    .option('--requests <n>', 'requests generated per app (those known-open.ts leaves out are dropped)', whole, 170)
    .option('--seed <n>', 'fast-check seed', whole, 22)
    .option('--path <path>', 'replay one counterexample (fast-check path)', fastCheckPath)
    .action((opts) => {
      options = opts;
    });
  const code = parseArguments(program, argv, io);
  if (code !== undefined || !options) return code ?? 2;
  const given = options;
  return reportingUserErrors(io, () => {
    const started = Date.now();
    const report = runContracts({ apps: given.apps, requestsPerApp: given.requests, seed: given.seed, path: given.path });
    if (report.failure) io.stderr(`${report.failure}\n`);
    io.stdout(`seed ${given.seed}, ${report.refused} generated declarations refused by the library, ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    io.stdout(`contracts: ${report.apps} apps, ${report.requests} requests, ${report.disagreements} disagreements\n`);
    return report.disagreements === 0 ? 0 : 1;
  });
}
