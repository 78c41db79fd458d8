import { Command } from 'commander';
import { UserError } from '../errors';
import { RoutingApp, RoutingAppProps } from './routing-app';

/**
 * Entry point of an app file: parses `--outdir` and `--strict`, synthesizes,
 * and reports user mistakes as messages with exit code 1, not stack traces.
 */
export function runApp(build: (props: RoutingAppProps) => RoutingApp, argv: readonly string[] = process.argv): void {
  const options = new Command()
    .name('synth')
    .option('--outdir <dir>', 'where the manifests go', 'dist')
    .option('--strict', 'treat warnings as errors', false)
    .parse([...argv])
    .opts<{ outdir: string; strict: boolean }>();
  try {
    const app = build({ outdir: options.outdir, strict: options.strict });
    const { files, objectCount } = app.synth();
    process.stdout.write(`synth: ${objectCount} objects in ${files.size} files written to ${app.outdir}/\n`);
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    process.stderr.write(`error: ${err.message}\n`);
    process.exitCode = 1;
  }
}
