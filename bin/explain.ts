import { Command, Option } from 'commander';
import { explainRequest, loadTrafficModel } from '../lib/traffic';
import { describeRequest, ExplainOptions, requestFromOptions } from '../lib/traffic/cli/parse-request';
import { renderExplanation } from '../lib/traffic/cli/render-text';
import { CliIo, parseArguments, processIo, reportingUserErrors } from '../lib/cli';

export { buildTrafficModel, explainRequest } from '../lib/traffic';


const collect = (value: string, previous: string[]) => [...previous, value];

/**
 * `explain [paths...] --host H --path P [...]`: where one request goes through the given Istio YAML.
 * Exit 0 when explained (whatever the status), 2 on bad input.
 */
export function runExplainCli(argv: readonly string[], io: CliIo): number {
  let paths: string[] = [];
  let options: (ExplainOptions & { json: boolean }) | undefined;
  const program = new Command('explain')
    .description('Explain where one HTTP request goes through Istio routing YAML, and whether it is served')
    .argument('[paths...]', 'YAML files or folders (searched recursively)', ['dist'])
    .requiredOption('--host <host>', 'the Host header (authority) without port')
    .addOption(new Option('--port <port>', 'the port the client calls'))
    .addOption(new Option('--gateway <ns/name>', 'the request enters through this Gateway').conflicts('from'))
    .option('--from <ns/serviceaccount>', 'the request comes from a sidecar with this identity')
    .option('--method <method>', 'HTTP method', 'GET')
    .requiredOption('--path <path>', 'path with query string')
    .option('--header <name=value>', 'a request header (repeatable)', collect, [])
    .option('--cookie <name=value>', 'a cookie (repeatable)', collect, [])
    .option('--json', 'print the explanation as one JSON object', false)
    .action((givenPaths: string[], givenOptions: ExplainOptions & { json: boolean }) => {
      paths = givenPaths;
      options = givenOptions;
    });
  const parsed = parseArguments(program, argv, io);
  if (parsed !== undefined) return parsed;
  return reportingUserErrors(io, () => {
    const model = loadTrafficModel(paths);
    const request = requestFromOptions(options!, model);
    const explanation = explainRequest(model, request);
    io.stdout(options!.json ? `${JSON.stringify(explanation, null, 2)}\n` : `${renderExplanation(describeRequest(request), explanation)}\n`);
    return 0;
  });
}

if (require.main === module) {
  process.exitCode = runExplainCli(process.argv.slice(2), processIo);
}
