import { buildApp } from '../main';
import { processIo } from '../lib/cli';
import { runReleaseCli } from '../lib/release/cli/release-cli';

export { runReleaseCli } from '../lib/release/cli/release-cli';

/** `npm run release -- ...` on this repository's app (main.ts). See README.md. */
export function runRelease(argv: readonly string[]): Promise<number> {
  return runReleaseCli(argv, processIo, buildApp);
}

if (require.main === module) {
  void runRelease(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
