import { existsSync } from 'node:fs';

/**
 * A test suite that needs a program from the system's packages (a browser),
 * not from npm. Where the program is missing it is skipped, with one line
 * saying how to enable it, so that `npm test` passes on a machine with only
 * Node; under CI=true (as .ci/run sets) it is required, and a missing program
 * fails the suite.
 */
export function describeWithSystemTool(tool: { name: string; path: string; install: string }, title: string, suite: () => void): void {
  if (existsSync(tool.path) || process.env.CI === 'true') {
    describe(title, suite);
    return;
  }
  process.stderr.write(`skipped: ${title}: no ${tool.name} at ${tool.path} (${tool.install}; required when CI=true)\n`);
  describe.skip(title, suite);
}
