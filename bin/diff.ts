import { Command, Option } from 'commander';
import { diffRevisions, renderJson, renderMarkdown, renderText } from '../lib/diff';
import { loadReleases } from '../lib/diff/cli/load-releases';
import { loadRevisions } from '../lib/diff/cli/load-revisions';
import { releaseMoves, withReleaseMoves } from '../lib/diff/release-moves';
import { CliIo, parseArguments, processIo, reportingUserErrors, USAGE_ERROR } from '../lib/cli';
import { synthesizeBoth } from '../lib/migration/cli/synthesize-both';
import { migrationReport, renderMigrationJson, renderMigrationMarkdown, renderMigrationText, unexplained } from '../lib/migration/migration-report';

const RISKY = 1;


interface DiffOptions {
  readonly base?: string;
  readonly format: 'text' | 'markdown' | 'json';
  readonly failOn?: 'risky';
  readonly dist: string;
  readonly releases: string;
  readonly migration: boolean;
  readonly app?: string;
}

/**
 * `diff [--base REF] [--format text|markdown|json] [--fail-on risky] [--dist DIR] [--releases FILE]`:
 * what changes for requests between dist/ at a git revision and dist/ in the working tree.
 * Exit 1 with --fail-on risky when a risky change is present, 2 on bad input, else 0.
 *
 * `diff --migration [--app "<command>"]`: the app's Istio output against its
 * Gateway API output, request by request. Exit 1 when a request is routed
 * otherwise (beyond what the Gateway API mapping names) or the Gateway API
 * synth refuses an option, 2 on bad input, else 0.
 */
export function runDiffCli(argv: readonly string[], io: CliIo, cwd: string = process.cwd()): number {
  let options: DiffOptions | undefined;
  const program = new Command('diff')
    .description('Compare the traffic of dist/ at a git revision with the working tree: weights, matches, exposure, security')
    .option('--base <ref>', 'git revision to compare with (default: the merge base with origin/main, else HEAD)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'markdown', 'json']).default('text'))
    .addOption(new Option('--fail-on <risk>', 'exit 1 when a change of this risk is present').choices(['risky']))
    .option('--dist <dir>', 'the synthesized YAML folder', 'dist')
    .option('--releases <file>', 'the progressive releases\' positions: a move past the gate is risky', 'releases.yaml')
    .option('--migration', 'compare the app\'s Istio output with its Gateway API output instead, request by request', false)
    .option('--app <command>', 'with --migration: the command that runs the app (default: cdk8s.yaml\'s app)')
    .action((given: DiffOptions) => {
      options = given;
    });
  const parsed = parseArguments(program, argv, io);
  if (parsed !== undefined) return parsed;
  if (options!.migration) return runMigration(options!, program, io, cwd);
  if (options!.app !== undefined) {
    io.stderr('error: --app needs --migration\n');
    return USAGE_ERROR;
  }
  return reportingUserErrors(io, () => {
    const { before, after, commit } = loadRevisions(cwd, options!.dist, options!.base);
    const releases = loadReleases(cwd, commit, options!.releases, program.getOptionValueSource('releases') === 'cli');
    const diff = withReleaseMoves(diffRevisions(before, after), releaseMoves(releases.before, releases.after, releases.source));
    const format = options!.format;
    io.stdout(format === 'json' ? renderJson(diff) : format === 'markdown' ? renderMarkdown(diff, before.services, after.services) : renderText(diff));
    const risky = [...diff.services, ...diff.objects].some((s) => s.changes.some((c) => c.risk === 'risky'));
    return options!.failOn === 'risky' && risky ? RISKY : 0;
  });
}

function runMigration(options: DiffOptions, program: Command, io: CliIo, cwd: string): number {
  const revisionOnly = ['base', 'dist', 'releases', 'failOn'].filter((o) => program.getOptionValueSource(o) === 'cli');
  if (revisionOnly.length) {
    io.stderr(`error: --migration compares two outputs of the working tree's app; it takes no ${revisionOnly.map((o) => `--${o.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ')}\n`);
    return USAGE_ERROR;
  }
  return reportingUserErrors(io, () => {
    const both = synthesizeBoth(options.app === undefined ? [] : ['--app', options.app], cwd);
    if (!both.ok) {
      io.stderr(`migration: the Gateway API synth refused; each option below has no Gateway API equivalent on Istio (set api: 'istio' on its service to keep it there):\n${both.refusal}\n`);
      return RISKY;
    }
    const report = migrationReport(both.istio.files, both.gatewayApi.files);
    const format = options.format;
    io.stdout(format === 'json' ? renderMigrationJson(report) : format === 'markdown' ? renderMigrationMarkdown(report) : renderMigrationText(report));
    return unexplained(report).length ? RISKY : 0;
  });
}

if (require.main === module) {
  process.exitCode = runDiffCli(process.argv.slice(2), processIo);
}
