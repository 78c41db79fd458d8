import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runApp } from './run-app';
import { LAUNCHED_COMMAND_FILE } from '../launched-command';
import { buildApp } from '../../main';

const root = join(__dirname, '../..');
let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'run-app-'));
  cpSync(join(root, 'releases.yaml'), join(work, 'releases.yaml'));
  cpSync(join(root, 'dist'), join(work, 'dist'), { recursive: true });
});
afterEach(() => {
  rmSync(work, { recursive: true, force: true });
  process.exitCode = undefined;
});

async function capture(run: () => Promise<void>): Promise<{ stdout: string; stderr: string }> {
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await run();
    const text = (spy: jest.SpyInstance) => spy.mock.calls.map((call) => String(call[0])).join('');
    return { stdout: text(stdout), stderr: text(stderr) };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

// `ml-routing release` runs the app's own command with `release <arguments>` (launch-release.ts).
describe('an app run with `release <arguments>`', () => {
  test('runs the release CLI on the app it builds, and sets the exit code', async () => {
    const args = ['--releases', join(work, 'releases.yaml'), '--outdir', join(work, 'dist')];
    expect(await capture(() => runApp(buildApp, ['node', 'main.js', 'release', 'promote', 'ml/demand-forecast', ...args]))).toEqual({
      stdout: 'ml/demand-forecast: v2 10% → 25%, v1 90% → 75% (step 2 of 4)\n',
      stderr: '',
    });
    expect(process.exitCode).toBe(0);
    expect(readFileSync(join(work, 'releases.yaml'), 'utf8')).toContain('step: 2');
    await capture(() => runApp(buildApp, ['node', 'main.js', 'release', 'promote', 'ml/nothing', ...args]));
    expect(process.exitCode).toBe(2);
  });

  test('tells ml-routing release that it ran the release, in the file it names', async () => {
    const file = join(work, 'launched');
    process.env[LAUNCHED_COMMAND_FILE] = file;
    try {
      await capture(() => runApp(buildApp, ['node', 'main.js', 'release', 'status', '--releases', join(work, 'releases.yaml'), '--outdir', join(work, 'dist')]));
    } finally {
      delete process.env[LAUNCHED_COMMAND_FILE];
    }
    expect(readFileSync(file, 'utf8')).toBe('release');
  });
});
