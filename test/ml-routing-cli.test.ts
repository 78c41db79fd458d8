import { join } from 'node:path';
import { runMlRoutingCli } from '../bin/ml-routing';

const root = join(__dirname, '..');

async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runMlRoutingCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) }, root);
  return { code, stdout, stderr };
}

describe('ml-routing, the package\'s one binary', () => {
  test('--help lists the commands', async () => {
    const { code, stdout } = await cli(['--help']);
    expect(code).toBe(0);
    expect([...stdout.matchAll(/^ {2}(\w+) {2,}/gm)].map((m) => m[1])).toEqual(['validate', 'explain', 'diff', 'diagram', 'synth', 'release', 'init']);
  });

  test('each command gets the arguments after its name', async () => {
    const { code, stdout } = await cli(['explain', join(root, 'dist'), '--host', 'ml-service', '--path', '/predict', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).destinations.map((d: { subset: string; weight: number }) => [d.subset, d.weight])).toEqual([['v1', 90], ['v2', 10]]);
    expect((await cli(['validate', '--help'])).stdout).toContain('Usage: validate [options] <paths...>');
  });

  test('an unknown or missing command is a usage error: exit 2', async () => {
    expect(await cli(['synthesize'])).toEqual({ code: 2, stdout: '', stderr: "error: unknown command 'synthesize'\n" });
    expect((await cli([])).code).toBe(2);
  });
});
