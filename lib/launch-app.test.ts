import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchApp } from './launch-app';
import { LAUNCHED_COMMAND_FILE } from './launched-command';

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'launch-release-'));
  // GIVEN an "app" that prints the arguments it was run with, says it ran the release as runApp() does (launched-command.ts), and exits 3 when asked to
  writeFileSync(join(work, 'app.js'), [
    'console.log(JSON.stringify(process.argv.slice(2)));',
    `if (process.argv[2] === "release" && !process.argv.includes("silently")) require("fs").writeFileSync(process.env.${LAUNCHED_COMMAND_FILE}, "release");`,
    'if (process.argv.includes("fail")) process.exitCode = 3;',
    '',
  ].join('\n'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

async function launch(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await launchApp(['release'], argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) }, work);
  return { code, stdout, stderr };
}

describe('ml-routing release (and synth): the app\'s own command', () => {
  test('runs cdk8s.yaml\'s app with `release` and the arguments, each passed through whole', async () => {
    writeFileSync(join(work, 'cdk8s.yaml'), 'language: typescript\napp: node app.js\noutput: .cdk8s.out\n');
    expect(await launch(['promote', 'ml/demand-forecast', '--prometheus', "http://prom:9090/?q=it's a b"])).toEqual({
      code: 0,
      stderr: '',
      stdout: `${JSON.stringify(['release', 'promote', 'ml/demand-forecast', '--prometheus', "http://prom:9090/?q=it's a b"])}\n`,
    });
  });

  test('returns the app\'s exit code', async () => {
    writeFileSync(join(work, 'cdk8s.yaml'), 'app: node app.js\n');
    expect((await launch(['status', 'fail'])).code).toBe(3);
  });

  test('an app that exits 0 without running the release (its entry does not call runApp) is an error: exit 2', async () => {
    writeFileSync(join(work, 'cdk8s.yaml'), 'app: node app.js\n');
    expect(await launch(['status', 'silently'])).toEqual({
      code: 2,
      stdout: '["release","status","silently"]\n',
      stderr: 'error: node app.js: the app\'s entry must call runApp(buildApp) for ml-routing release, received an app that exited without running it\n',
    });
  });

  test('--app runs another command instead of cdk8s.yaml\'s', async () => {
    expect(await launch(['--app', 'node app.js', 'status', '--json'])).toEqual({ code: 0, stderr: '', stdout: '["release","status","--json"]\n' });
    expect((await launch(['--app=node app.js', 'status'])).stdout).toBe('["release","status"]\n');
  });

  test('without cdk8s.yaml or its app: exit 2, one clear line, nothing run', async () => {
    expect(await launch(['status'])).toEqual({
      code: 2,
      stdout: '',
      stderr: `error: cdk8s.yaml: no such file in ${work}; run ml-routing in your app's folder, or pass --app "<command that runs your app>"\n`,
    });
    writeFileSync(join(work, 'cdk8s.yaml'), 'language: typescript\n');
    expect(await launch(['status'])).toEqual({ code: 2, stdout: '', stderr: 'error: cdk8s.yaml: app must be the command that runs your app, received null\n' });
    expect(await launch(['--app'])).toEqual({ code: 2, stdout: '', stderr: 'error: --app must be the command that runs your app, received nothing\n' });
  });

  test('synth runs the app with the arguments alone', async () => {
    writeFileSync(join(work, 'cdk8s.yaml'), 'app: node app.js\n');
    let stdout = '';
    expect(await launchApp([], ['--strict'], { stdout: (t) => (stdout += t), stderr: () => undefined }, work)).toBe(0);
    expect(stdout).toBe('["--strict"]\n');
  });
});
