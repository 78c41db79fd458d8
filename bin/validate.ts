import { Command, Option } from 'commander';
import { collectInputFiles, InputError } from '../lib/validation/cli/input-files';
import { diagnosticLine, exitCodeOf, renderJson, summaryLine } from '../lib/validation/cli/report';
import { validateFiles } from '../lib/validation/cli/validate-files';

import { CliIo, parseArguments, processIo, USAGE_ERROR } from '../lib/cli';

export type { CliIo } from '../lib/cli';

interface CliOptions {
  readonly output: 'text' | 'json';
  readonly strict: boolean;
  readonly eachFile: boolean;
  readonly with: string[];
  readonly gatewayApiChannel: 'standard' | 'experimental';
  readonly inferenceExtension: boolean;
}


/**
 * `validate [options] <paths...>`: checks Istio YAML like the API server, istiod's webhook and istioctl analyze.
 * Exit 0 when valid (warnings allowed), 1 on any error (with --strict also on warnings), 2 on usage or input errors.
 */
export function runValidateCli(argv: readonly string[], io: CliIo): number {
  let paths: string[] = [];
  let options: CliOptions = { output: 'text', strict: false, eachFile: false, with: [], gatewayApiChannel: 'standard', inferenceExtension: false };
  const program = new Command('validate')
    .description('Validate Istio VirtualService, DestinationRule, PeerAuthentication and AuthorizationPolicy YAML, and Gateway API HTTPRoute, Gateway, ReferenceGrant and InferencePool YAML')
    .argument('<paths...>', 'YAML files or folders (searched recursively for .yaml/.yml)')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--strict', 'use the strict profile: our stricter rules are errors and warnings fail the run', false)
    .option('--with <path>', 'context for analysis, not validated nor reported on: Gateways, Services, ServiceEntries, Pods... owned elsewhere (a file or folder; repeatable)', (path: string, paths: string[]) => [...paths, path], [])
    .addOption(new Option('--gateway-api-channel <channel>', 'the Gateway API CRDs the cluster has: experimental-channel fields (HTTPRoute retry) are errors under standard').choices(['standard', 'experimental']).default('standard'))
    .option('--inference-extension', 'istiod runs with ENABLE_GATEWAY_API_INFERENCE_EXTENSION=true: HTTPRoutes may route to InferencePools', false)
    .option('--each-file', 'validate each file on its own (cross-object rules only within a file), for corpora of independent cases', false)
    .action((givenPaths: string[], givenOptions: CliOptions) => {
      paths = givenPaths;
      options = givenOptions;
    });
  const parsed = parseArguments(program, argv, io);
  if (parsed !== undefined) return parsed;
  return runValidation(paths, options, io);
}

function runValidation(paths: string[], options: CliOptions, io: CliIo): number {
  let files: string[];
  let contextFiles: string[];
  try {
    files = collectInputFiles(paths);
    contextFiles = collectInputFiles(options.with);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    io.stderr(`error: ${error.message}\n`);
    return USAGE_ERROR;
  }
  const report = validateFiles(files, { profile: options.strict ? 'strict' : 'istio', eachFile: options.eachFile, contextFiles, gatewayApiChannel: options.gatewayApiChannel, inferenceExtension: options.inferenceExtension });
  if (options.output === 'json') io.stdout(`${renderJson(report)}\n`);
  else {
    for (const problem of report.inputErrors) io.stderr(`error: ${problem}\n`);
    for (const note of report.notes) io.stderr(`note: ${note}\n`);
    for (const diagnostic of report.diagnostics) io.stdout(`${diagnosticLine(diagnostic)}\n`);
    io.stdout(`${summaryLine(report)}\n`);
  }
  return exitCodeOf(report, options.strict);
}

if (require.main === module) {
  process.exitCode = runValidateCli(process.argv.slice(2), processIo);
}
