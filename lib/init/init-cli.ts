import { resolve } from 'node:path';
import { Command } from 'commander';
import packageJson from '../../package.json';
import { CliIo, parseArguments, reportingUserErrors } from '../cli';
import { gitOpsRepoFiles, packageNameFor, writeGitOpsRepo } from './gitops-repo';

interface InitOptions {
  readonly package: string;
  readonly name?: string;
}

/**
 * `init <dir> [--package <spec>] [--name <name>]`: writes a new GitOps
 * repository into a new or empty folder. Exit 0 when written, 2 on bad usage
 * or a folder that is not empty (nothing written).
 */
export function runInitCli(argv: readonly string[], io: CliIo, cwd: string = process.cwd()): number {
  let dir = '';
  let options: InitOptions | undefined;
  const program = new Command('init')
    .description('Write a new GitOps repository: main.ts with one model service, its behaviour test, CI, and deploy/ for Argo CD and Flux')
    .argument('<dir>', 'a new or empty folder')
    .option('--package <spec>', `how the new repository depends on ${packageJson.name}: a version range, a tarball or a git URL`, `^${packageJson.version}`)
    .option('--name <name>', 'the new repository\'s npm name (default: from the folder\'s name)')
    .action((givenDir: string, givenOptions: InitOptions) => {
      dir = givenDir;
      options = givenOptions;
    });
  const parsed = parseArguments(program, argv, io);
  if (parsed !== undefined) return parsed;
  return reportingUserErrors(io, () => {
    const target = resolve(cwd, dir);
    const files = writeGitOpsRepo(target, gitOpsRepoFiles({ name: options!.name ?? packageNameFor(target), packageSpec: options!.package }));
    io.stdout(`init: ${files.length} files written to ${dir}/\n\nNext:\n  cd ${dir}\n  npm install\n  npm test && npm run synth\n`);
    return 0;
  });
}
