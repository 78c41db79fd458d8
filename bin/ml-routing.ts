#!/usr/bin/env node
import { Command } from 'commander';
import { version } from '../package.json';
import { CliIo, parseArguments, processIo, USAGE_ERROR } from '../lib/cli';
import { runInitCli } from '../lib/init/init-cli';
import { launchApp } from '../lib/launch-app';

type Run = (argv: readonly string[], io: CliIo, cwd: string) => number | Promise<number>;

/**
 * The commands of `ml-routing`. Each command's code loads only when it runs:
 * in the package, validate, explain, diff and diagram are bundles of their own
 * (scripts/build-package.mjs), as in .build/ (bundled into cli.js, their
 * `require.main === module` blocks would all run with it).
 */
const COMMANDS: ReadonlyArray<readonly [name: string, summary: string, run: Run]> = [
  ['validate', 'check Istio YAML as the API server, istiod\'s webhook and istioctl analyze do',
    (argv, io) => (require('./validate') as typeof import('./validate')).runValidateCli(argv, io)],
  ['explain', 'explain where one request goes through Istio YAML, and whether it is served',
    (argv, io) => (require('./explain') as typeof import('./explain')).runExplainCli(argv, io)],
  ['diff', 'what a change to dist/ does to traffic, compared with a git revision',
    (argv, io, cwd) => (require('./diff') as typeof import('./diff')).runDiffCli(argv, io, cwd)],
  ['diagram', 'write a Mermaid flowchart of each service in dist/',
    (argv, io, cwd) => (require('./diagram') as typeof import('./diagram')).runDiagramCli(argv, io, cwd)],
  ['synth', 'run your app (cdk8s.yaml\'s app, or --app "<command>"): validate everything and write dist/',
    (argv, io, cwd) => launchApp([], argv, io, cwd)],
  ['release', 'move progressive releases: runs your app (cdk8s.yaml\'s app, or --app "<command>") with `release <arguments>`',
    (argv, io, cwd) => launchApp(['release'], argv, io, cwd)],
  ['init', 'write a new GitOps repository: an app, its tests, CI and Argo CD/Flux manifests', runInitCli],
];

/** `ml-routing <command> [arguments]`; `ml-routing <command> --help` for each command's own options. */
export async function runMlRoutingCli(argv: readonly string[], io: CliIo, cwd: string = process.cwd()): Promise<number> {
  const command = COMMANDS.find(([name]) => name === argv[0]);
  if (command) return command[2](argv.slice(1), io, cwd);
  const program = new Command('ml-routing')
    .description('Intelligent routing for ML services on Istio, declared in TypeScript with cdk8s')
    .version(version)
    .helpCommand(false)
    .addHelpText('after', '\nRun `ml-routing <command> --help` for the options of a command.');
  for (const [name, summary] of COMMANDS) program.command(name).description(summary);
  // Help and --version end the parse; with no command or an unknown one commander reports a usage error.
  return parseArguments(program, argv, io) ?? USAGE_ERROR;
}

if (require.main === module) {
  void runMlRoutingCli(process.argv.slice(2), processIo).then((code) => {
    process.exitCode = code;
  });
}
