import { Command, InvalidArgumentError } from 'commander';
import { CliIo, parseArguments, reportingUserErrors } from '../lib/cli';
import { runContracts } from '../lib/contracts/judge/run';
import { runMigrationContracts } from '../lib/contracts/judge/migration';

export { generatedApps, runContracts } from '../lib/contracts/judge/run';
export { runMigrationContracts } from '../lib/contracts/judge/migration';

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
 * `--migration`: each app's Istio output against its Gateway API output
 * instead (npm run diff -- --migration on generated apps); prints
 * `migration: N apps, D traffic differences`; exit 1 on a difference.
 */
export function runContractsCli(argv: readonly string[], io: CliIo): number {
  let options: { apps: number; requests: number; seed: number; path?: string; migration: boolean } | undefined;
  const program = new Command('contracts')
    .description('Check each option\'s behavioural contract on generated apps against explain')
    .option('--apps <n>', 'generated apps (declarations the library accepts)', whole, 200)
    .option('--requests <n>', 'requests generated per app (those known-open.ts leaves out are dropped)', whole, 170)
    .option('--seed <n>', 'fast-check seed', whole, 22)
    .option('--path <path>', 'replay one counterexample (fast-check path)', fastCheckPath)
    .option('--migration', 'compare each app\'s Istio output with its Gateway API output instead', false)
    .action((opts) => {
      options = opts;
    });
  const code = parseArguments(program, argv, io);
  if (code !== undefined || !options) return code ?? 2;
  const given = options;
  if (given.migration) return runMigration(given, io);
  return reportingUserErrors(io, () => {
    const started = Date.now();
    const report = runContracts({ apps: given.apps, requestsPerApp: given.requests, seed: given.seed, path: given.path });
    if (report.failure) io.stderr(`${report.failure}\n`);
    io.stdout(`seed ${given.seed}, ${report.refused} generated declarations refused by the library, ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    io.stdout(`contracts: ${report.apps} apps, ${report.requests} requests, ${report.disagreements} disagreements\n`);
    return report.disagreements === 0 ? 0 : 1;
  });
}

function runMigration(given: { apps: number; seed: number }, io: CliIo): number {
  const started = Date.now();
  const report = runMigrationContracts(given.apps, given.seed);
  for (const { decl, difference } of report.examples) io.stderr(`difference: ${JSON.stringify(difference)}\n  declaration: ${JSON.stringify(decl)}\n`);
  io.stdout(`seed ${given.seed}, ${report.lossy} apps refused by the Gateway API loss report, ${report.named} requests changed as the mapping names, ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  io.stdout(`migration: ${report.apps} apps, ${report.requests} requests, ${report.differences} traffic differences\n`);
  return report.differences === 0 ? 0 : 1;
}
