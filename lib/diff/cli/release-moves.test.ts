import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp } from '../../../main';
import { runDiffCli } from '../../../bin/diff';
import { TempRepo } from '../../../test/temp-repo';

/** releases.yaml's entry for the example's demand-forecast (v1 → v2, steps 10, 25, 50, 100). */
const entry = (fields: string) => `ml/demand-forecast:\n  from: v1\n  to: v2\n${fields}`;
const STEP_1 = entry('  state: progressing\n  step: 1\n  weights: { v1: 90, v2: 10 }\n');

describe('npm run diff: a progressive release moved past its gate is risky', () => {
  let repo: TempRepo;
  beforeEach(() => {
    // GIVEN the repository's dist/ and releases.yaml (demand-forecast at step 1), committed
    repo = new TempRepo();
    repo.write('releases.yaml', readFileSync(join(__dirname, '../../../releases.yaml'), 'utf8'));
    repo.commit('releases.yaml as on main');
  });
  afterEach(() => repo.remove());

  /** releases.yaml as a pull request leaves it, and dist/ synthesized from it; the diff's exit code with --fail-on risky and its release change. */
  function diffAfter(releases: string) {
    repo.write('releases.yaml', releases);
    buildApp({ outdir: join(repo.dir, 'dist'), releasesFile: join(repo.dir, 'releases.yaml') }).synth();
    let stdout = '';
    const code = runDiffCli(['--base', 'HEAD', '--fail-on', 'risky', '--format', 'json'], { stdout: (t) => (stdout += t), stderr: (t) => (stdout += t) }, repo.dir);
    const changes = (JSON.parse(stdout).services as Array<{ service: string; changes: Array<{ kind: string }> }>).find((s) => s.service === 'ml/demand-forecast')?.changes ?? [];
    return { code, release: changes.filter((c) => c.kind === 'release-gate'), text: stdout };
  }

  function riskyText(releases: string): string {
    repo.write('releases.yaml', releases);
    buildApp({ outdir: join(repo.dir, 'dist'), releasesFile: join(repo.dir, 'releases.yaml') }).synth();
    let stdout = '';
    runDiffCli(['--base', 'HEAD'], { stdout: (t) => (stdout += t), stderr: (t) => (stdout += t) }, repo.dir);
    return stdout.split('\n').find((line) => line.startsWith('  risky '))!;
  }

  test('releases.yaml edited from step 1 to the last step moves 100% past the gate: risky, exit 1', () => {
    const after = entry('  state: progressing\n  step: 4\n  weights: { v1: 0, v2: 100 }\n');
    expect(diffAfter(after)).toMatchObject({ code: 1, release: [{ kind: 'release-gate', before: 1, after: 4, risk: 'risky' }] });
    let stdout = '';
    expect(runDiffCli(['--base', 'HEAD', '--fail-on', 'risky'], { stdout: (t) => (stdout += t), stderr: (t) => (stdout += t) }, repo.dir)).toBe(1);
    expect(stdout).toBe([
      '1 service changes: 1 risky change, 2 to review, 0 informational. Risky: ml/demand-forecast: releases.yaml: v1 → v2 moves from step 1 to step 4 (v2 10% → 100%): ' +
        'more than one step skips the gate. Traffic moves: 90% of any request moves from v1 to v2 on ml/demand-forecast.',
      '',
      'ml/demand-forecast',
      '  risky   releases.yaml: v1 → v2 moves from step 1 to step 4 (v2 10% → 100%): more than one step skips the gate',
      '  review  any request: v1 90% → 0%',
      '  review  any request: v2 10% → 100%',
      '  moves   90% of any request moves from v1 to v2',
      '',
    ].join('\n'));
  });

  test('a --releases file that exists neither in the working tree nor at the base is exit 2, not "no release moved"', () => {
    let stderr = '';
    const code = runDiffCli(['--base', 'HEAD', '--fail-on', 'risky', '--releases', 'release.yaml'], { stdout: () => undefined, stderr: (t) => (stderr += t) }, repo.dir);
    expect([code, stderr]).toEqual([2, 'error: --releases: no such file in the working tree or at the base, received "release.yaml"\n']);
  });

  test('one step the gate recorded is a reviewed weight change, not risky', () => {
    const { code, release } = diffAfter(entry('  state: progressing\n  step: 2\n  weights: { v1: 75, v2: 25 }\n  gated: { step: 2, weights: { v1: 75, v2: 25 } }\n'));
    expect({ code, release }).toEqual({ code: 0, release: [] });
  });

  test.each([
    ['a hand promote (no gate record)', '  state: progressing\n  step: 2\n  weights: { v1: 75, v2: 25 }\n',
      'releases.yaml: v1 → v2 moves to step 2 (v2 10% → 25%), which no gated promotion recorded (none is recorded)'],
    ['a gate record of an earlier step', '  state: progressing\n  step: 2\n  weights: { v1: 75, v2: 25 }\n  gated: { step: 1, weights: { v1: 90, v2: 10 } }\n',
      'releases.yaml: v1 → v2 moves to step 2 (v2 10% → 25%), which no gated promotion recorded (the last gated step is 1)'],
    ['a gate record whose weights are not the step\'s', '  state: progressing\n  step: 2\n  weights: { v1: 75, v2: 25 }\n  gated: { step: 2, weights: { v1: 90, v2: 10 } }\n',
      'releases.yaml: v1 → v2 moves to step 2 (v2 10% → 25%), which no gated promotion recorded (the last gated step is 2)'],
    ['complete before the last step with --skip-gate', '  state: completed\n  step: 1\n  weights: { v1: 0, v2: 100 }\n  gateSkipped: v1 corrupts forecasts (INC-42)\n',
      'releases.yaml: v1 → v2 gives v2 10% → 100% with the gate skipped: v1 corrupts forecasts (INC-42)'],
    ['complete before the last step, the skip not recorded', '  state: completed\n  step: 1\n  weights: { v1: 0, v2: 100 }\n  gated: { step: 1, weights: { v1: 90, v2: 10 } }\n',
      'releases.yaml: v1 → v2 completes step 1 (v2 10% → 100%), which no gated promotion recorded (the last gated step is 1)'],
  ])('%s: risky', (_, fields, message) => {
    expect(diffAfter(entry(fields))).toMatchObject({ code: 1, release: [{ kind: 'release-gate', risk: 'risky' }] });
    expect(riskyText(entry(fields))).toBe(`  risky   ${message}`);
  });

  test.each([
    ['a rollback', '  state: rolled-back\n  step: 1\n  weights: { v1: 100, v2: 0 }\n'],
    ['no move (the file rewritten the same)', '  state: progressing\n  step: 1\n  weights: { v1: 90, v2: 10 }\n'],
  ])('%s takes no traffic past the gate', (_, fields) => {
    expect(diffAfter(`# edited\n${entry(fields)}`).release).toEqual([]);
  });

  test('a base written before releases.yaml recorded weights is read; its share unknown, a move from it is risky', () => {
    repo.write('releases.yaml', entry('  state: progressing\n  step: 1\n'));
    repo.commit('releases.yaml without weights');
    expect(diffAfter(STEP_1).release).toEqual([{ kind: 'release-gate', before: 1, after: 1, risk: 'risky' }]);
    expect(riskyText(STEP_1)).toBe('  risky   releases.yaml: v1 → v2 moves to step 1 (v2 → 10%, the base recording no weights), which no gated promotion recorded (none is recorded)');
  });
});
