import { Command, Option } from 'commander';
import { processIo } from '../cli';
import { UserError } from '../errors';
import { acknowledgeLaunchedCommand } from '../launched-command';
import { runReleaseCli } from '../release/cli/release-cli';
import { RoutingApp, RoutingAppProps } from './routing-app';

/**
 * Entry point of an app file: parses `--outdir` and `--strict`, synthesizes,
 * and reports user mistakes as messages with exit code 1, not stack traces.
 * `<app> release <args>` runs the release CLI on this app instead: the app's
 * entry is where its builder is, so `ml-routing release` reaches any app,
 * whatever runs its TypeScript (see lib/launch-app.ts).
 * Resolves once the exit code is set (a release may wait on Prometheus).
 */
export function runApp(build: (props: RoutingAppProps) => RoutingApp, argv: readonly string[] = process.argv): Promise<void> {
  const [command, ...args] = argv.slice(2);
  if (command === 'release') {
    acknowledgeLaunchedCommand(command);
    return runReleaseCli(args, processIo, build).then((code) => {
      process.exitCode = code;
    });
  }
  synthesizeApp(build, argv);
  return Promise.resolve();
}

function synthesizeApp(build: (props: RoutingAppProps) => RoutingApp, argv: readonly string[]): void {
  const options = new Command()
    .name('synth')
    .option('--outdir <dir>', 'where the manifests go', 'dist')
    .option('--strict', 'treat warnings as errors', false)
    .addOption(new Option('--api <api>', 'the routing API of every service that does not choose its own (npm run diff -- --migration synthesizes both)').choices(['istio', 'gateway-api']))
    .option('--stack', 'print the stack trace of unexpected errors', false)
    .parse([...argv])
    .opts<{ outdir: string; strict: boolean; stack: boolean; api?: 'istio' | 'gateway-api' }>();
  try {
    const app = build({ outdir: options.outdir, strict: options.strict, ...(options.api && { api: options.api }) });
    const { files, objectCount } = app.synth();
    process.stdout.write(`synth: ${objectCount} objects in ${files.size} ${files.size === 1 ? 'file' : 'files'} written to ${app.outdir}/\n`);
  } catch (err) {
    if (!(err instanceof UserError) && options.stack) throw err;
    // Other errors are most often mistakes too (two constructs with one id, say):
    // the message alone, and the stack trace on request.
    const hint = err instanceof UserError ? '' : ' (run with --stack for the stack trace)';
    process.stderr.write(`error: ${(err as Error).message ?? String(err)}${hint}\n`);
    process.exitCode = 1;
  }
}
