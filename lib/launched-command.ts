import { writeFileSync } from 'node:fs';

/**
 * How `ml-routing release` knows that the app ran the release CLI: it names
 * a file in this variable of the app's environment, and runApp() writes the
 * command into it. An app whose entry does not call runApp() (one that ends
 * with `app.synth()`, say) would synthesize and exit 0, and the release would
 * silently not have happened.
 */
export const LAUNCHED_COMMAND_FILE = 'ML_ROUTING_LAUNCHED_COMMAND_FILE';

/** Called by the app (runApp) as it starts `command`. */
export function acknowledgeLaunchedCommand(command: string): void {
  const file = process.env[LAUNCHED_COMMAND_FILE];
  if (file) writeFileSync(file, command);
}
