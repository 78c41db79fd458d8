import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { parse } from 'yaml';
import { CliIo, USAGE_ERROR } from './cli';
import { UserError } from './errors';
import { LAUNCHED_COMMAND_FILE } from './launched-command';

/**
 * `ml-routing synth|release [--app "<command>"] [arguments]`: runs the app's
 * own command, cdk8s.yaml's `app` as `cdk8s synth` does unless --app names
 * another, with `subcommand` and the arguments appended. Only that command
 * knows how to run the app's TypeScript (esbuild, ts-node, tsx...), and the
 * release CLI must build the app in its own process (it synthesizes each
 * move before writing anything): the app's runApp() runs it on `release`,
 * and says so (launched-command.ts); an app that exits 0 without saying so
 * is an error, exit 2.
 */
export async function launchApp(subcommand: readonly string[], argv: readonly string[], io: CliIo, cwd: string = process.cwd()): Promise<number> {
  let command: string;
  let args: readonly string[];
  try {
    ({ command, args } = appCommand(argv, cwd));
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    io.stderr(`error: ${error.message}\n`);
    return USAGE_ERROR;
  }
  const commandLine = [command, ...[...subcommand, ...args].map(shellWord)].join(' ');
  if (!subcommand.length) return run(commandLine, io, cwd, {});
  const dir = mkdtempSync(join(tmpdir(), 'ml-routing-launch-'));
  try {
    const launched = join(dir, 'command');
    const code = await run(commandLine, io, cwd, { [LAUNCHED_COMMAND_FILE]: launched });
    if (code !== 0 || (existsSync(launched) && readFileSync(launched, 'utf8') === subcommand[0])) return code;
    io.stderr(`error: ${command}: the app's entry must call runApp(buildApp) for ml-routing ${subcommand[0]}, received an app that exited without running it\n`);
    return USAGE_ERROR;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The command that runs the app (`--app`, else cdk8s.yaml's `app`), and the arguments after it. */
export function appCommand(argv: readonly string[], cwd: string): { command: string; args: readonly string[] } {
  const [first, second, ...rest] = argv;
  if (first === '--app') {
    if (!second) throw new UserError('--app must be the command that runs your app, received nothing');
    return { command: second, args: rest };
  }
  if (first?.startsWith('--app=')) return { command: first.slice('--app='.length), args: argv.slice(1) };
  return { command: cdk8sAppCommand(cwd), args: argv };
}

/** The `app` of ./cdk8s.yaml: the command `cdk8s synth` runs. */
function cdk8sAppCommand(cwd: string): string {
  const file = join(cwd, 'cdk8s.yaml');
  if (!existsSync(file)) {
    throw new UserError(`cdk8s.yaml: no such file in ${cwd}; run ml-routing in your app's folder, or pass --app "<command that runs your app>"`);
  }
  const config: unknown = parse(readFileSync(file, 'utf8'));
  const app = (config as { app?: unknown } | null)?.app;
  if (typeof app !== 'string' || !app.trim()) {
    throw new UserError(`cdk8s.yaml: app must be the command that runs your app, received ${JSON.stringify(app ?? null)}`);
  }
  return app.trim();
}

/** Quoted for a POSIX shell unless plainly safe (service names, flags and most URLs are). */
export function shellWord(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

function run(commandLine: string, io: CliIo, cwd: string, env: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    // As npm scripts do: the project's own binaries (esbuild, ts-node...) come first.
    const path = [join(cwd, 'node_modules', '.bin'), process.env.PATH].filter(Boolean).join(delimiter);
    const child = spawn(commandLine, { cwd, shell: true, stdio: ['inherit', 'pipe', 'pipe'], env: { ...process.env, ...env, PATH: path } });
    child.stdout.setEncoding('utf8').on('data', (text: string) => io.stdout(text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => io.stderr(text));
    child.on('error', (error) => {
      io.stderr(`error: could not run your app (${commandLine}): ${error.message}\n`);
      resolve(USAGE_ERROR);
    });
    child.on('close', (code) => resolve(code ?? 1));
  });
}
