import { Command, CommanderError } from 'commander';
import { UserError } from './errors';

/** Where a CLI writes; tests pass string collectors, the binaries pass the process streams. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** Exit code for usage errors and unreadable input. */
export const USAGE_ERROR = 2;

/**
 * Parses `argv` with a commander program that writes to `io`. Returns the
 * exit code when parsing ended the run (help: 0, a usage error: 2), else
 * undefined and the program's action has run.
 */
export function parseArguments(program: Command, argv: readonly string[], io: CliIo): number | undefined {
  // Subcommands copy these settings only when created: set them on each, whenever it was added.
  for (const command of withSubcommands(program)) {
    command.exitOverride().configureOutput({ writeOut: (text) => io.stdout(text), writeErr: (text) => io.stderr(text) });
  }
  try {
    program.parse([...argv], { from: 'user' });
    return undefined;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : USAGE_ERROR;
    throw error;
  }
}

function withSubcommands(command: Command): Command[] {
  return [command, ...command.commands.flatMap((sub) => withSubcommands(sub as Command))];
}

/** Runs a command's work; a user mistake becomes one `error:` line and exit 2, never a stack trace. */
export function reportingUserErrors(io: CliIo, work: () => number): number {
  try {
    return work();
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    io.stderr(`error: ${error.message}\n`);
    return USAGE_ERROR;
  }
}
