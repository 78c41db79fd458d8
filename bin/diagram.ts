import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { DIAGRAM_DIR, diagramFiles, driftOf, hasDrift, syncFiles } from '../lib/diagram';
import { UserError } from '../lib/errors';
import { loadTrafficModel } from '../lib/traffic';
import { buildServiceViews } from '../lib/traffic-view';
import { CliIo, parseArguments, processIo, USAGE_ERROR } from '../lib/cli';

const DRIFT = 1;

interface DiagramOptions {
  readonly dist: string;
  readonly out: string;
  readonly check: boolean;
}

/**
 * `diagram [--dist dist] [--out docs/routing] [--check]`: one Mermaid flowchart per
 * service, `<out>/<namespace>/<name>.md`. With --check, writes nothing and exits 1
 * when the committed files differ from dist/. Exit 2 on bad input.
 */
export function runDiagramCli(argv: readonly string[], io: CliIo, cwd: string = process.cwd()): number {
  let options: DiagramOptions | undefined;
  const program = new Command('diagram')
    .description('Write a Mermaid flowchart of each service routed in dist/ into docs/routing/<namespace>/<name>.md')
    .option('--dist <dir>', 'the synthesized YAML folder', 'dist')
    .option('--out <dir>', 'where the Markdown files go', DIAGRAM_DIR)
    .option('--check', 'write nothing; exit 1 when the files differ from what dist/ gives', false)
    .action((given: DiagramOptions) => {
      options = given;
    });
  const parsed = parseArguments(program, argv, io);
  if (parsed !== undefined) return parsed;
  const { dist, out, check } = options!;
  let files: Map<string, string>;
  try {
    if (!existsSync(resolve(cwd, dist))) throw new UserError(`${dist}: no such folder (run npm run synth first, or pass --dist)`);
    files = diagramFiles(buildServiceViews(loadTrafficModel([resolve(cwd, dist)])));
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    io.stderr(`error: ${error.message}\n`);
    return USAGE_ERROR;
  }
  const dir = resolve(cwd, out);
  if (!check) {
    const changed = syncFiles(dir, files);
    io.stdout(`diagram: ${files.size} service diagram(s) in ${out}/ (${changed} file(s) written or removed)\n`);
    return 0;
  }
  const drift = driftOf(dir, files);
  if (!hasDrift(drift)) {
    io.stdout(`check:diagrams: ${out}/ matches ${dist}/ (${files.size} files)\n`);
    return 0;
  }
  for (const path of drift.missing) io.stderr(`missing from ${out}/: ${path}\n`);
  for (const path of drift.stale) io.stderr(`in ${out}/ but no such service in ${dist}/: ${path}\n`);
  for (const path of drift.different) io.stderr(`differs from ${dist}/: ${out}/${path}\n`);
  io.stderr(`check:diagrams: ${drift.missing.length + drift.stale.length + drift.different.length} file(s) in ${out}/ differ from ${dist}/; run \`npm run diagram\` and commit ${out}/\n`);
  return DRIFT;
}

if (require.main === module) {
  process.exitCode = runDiagramCli(process.argv.slice(2), processIo);
}
