import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Chart, Duration } from 'cdk8s';
import { buildApp } from '../../../main';
import { ModelService, Percent, RoutingApp, RoutingAppProps, Strategy } from '../..';
import { BuildApp } from './release-app';
import { runReleaseCli } from './release-cli';

let work: string;
beforeEach(() => {
  // GIVEN a copy of the repository's releases.yaml and dist/
  work = mkdtempSync(join(tmpdir(), 'release-cli-'));
  cpSync(join(__dirname, '../../../releases.yaml'), join(work, 'releases.yaml'));
  cpSync(join(__dirname, '../../../dist'), join(work, 'dist'), { recursive: true });
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

async function release(args: string[], build: BuildApp = buildApp): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runReleaseCli([...args, '--releases', join(work, 'releases.yaml'), '--outdir', join(work, 'dist')], {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
  }, build);
  return { code, stdout, stderr: stderr.split(`${work}/`).join('') };
}

/** Every file under the work folder with its content. */
function files(): Record<string, string> {
  const walk = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
  return Object.fromEntries(walk(work).map((f) => [relative(work, f), readFileSync(f, 'utf8')]));
}

const position = () => readFileSync(join(work, 'releases.yaml'), 'utf8').split('\n').filter((l) => /^ {2}(state|step):/.test(l)).map((l) => l.trim());
const routeOf = () => readFileSync(join(work, 'dist/ml.demand-forecast.yaml'), 'utf8').split('route:\n')[1];

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A stand-in Prometheus answering the gate's three queries with these samples (Prometheus' spellings: "NaN", "+Inf"); `close` when done. */
async function prometheusAnswering(samples: { requests: string; successRate: string; p99Latency: string }): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createHttpServer((request, response) => {
    const query = new URL(request.url!, 'http://x').searchParams.get('query')!;
    const sample = query.startsWith('histogram_quantile') ? samples.p99Latency : query.includes(' / ') ? samples.successRate : samples.requests;
    response.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [1, sample] }] } }));
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, close: () => new Promise((done) => server.close(() => done())) };
}

describe('npm run release', () => {
  test('status prints where each release stands; --json is machine-readable', async () => {
    expect(await release(['status'])).toEqual({ code: 0, stderr: '', stdout: 'ml/demand-forecast: v1 → v2, step 1 of 4 (10, 25, 50, 100): v1 90%, v2 10%\n' });
    const json = await release(['status', '--json']);
    expect(JSON.parse(json.stdout)).toEqual([
      { service: 'ml/demand-forecast', from: 'v1', to: 'v2', step: 1, steps: [10, 25, 50, 100], weights: { v1: 90, v2: 10 } },
    ]);
  });

  test('promote moves one step in releases.yaml and dist/ together, and prints the traffic change', async () => {
    const before = files();
    expect(await release(['promote', 'ml/demand-forecast'])).toEqual({ code: 0, stderr: '', stdout: 'ml/demand-forecast: v2 10% → 25%, v1 90% → 75% (step 2 of 4)\n' });
    expect(position()).toEqual(['state: progressing', 'step: 2']);
    expect(routeOf()).toContain('subset: v1\n          weight: 75\n        - destination:\n            host: demand-forecast\n            subset: v2\n          weight: 25\n');
    // Only the release's two files changed.
    const after = files();
    expect(Object.keys(after).filter((f) => after[f] !== before[f]).sort()).toEqual(['dist/ml.demand-forecast.yaml', 'releases.yaml']);
  });

  test('promoting past the last step is impossible: exit 2, nothing written; complete finishes the release', async () => {
    for (const expected of ['v2 10% → 25%, v1 90% → 75% (step 2 of 4)', 'v2 25% → 50%, v1 75% → 50% (step 3 of 4)', 'v2 50% → 100%, v1 50% → 0% (step 4 of 4)']) {
      expect((await release(['promote', 'ml/demand-forecast'])).stdout).toBe(`ml/demand-forecast: ${expected}\n`);
    }
    const atTheEnd = files();
    expect(await release(['promote', 'ml/demand-forecast'])).toEqual({
      code: 2, stdout: '', stderr: 'error: ml/demand-forecast: cannot promote past the last step (step 4 of 4, v2 at 100%); run complete to finish the release; nothing was written\n',
    });
    expect(files()).toEqual(atTheEnd);
    expect(await release(['complete', 'ml/demand-forecast'])).toEqual({ code: 0, stderr: '', stdout: 'ml/demand-forecast: v2 100% (unchanged), v1 0% (unchanged) (completed)\n' });
    expect(position()).toEqual(['state: completed', 'step: 4']);
    expect((await release(['promote', 'ml/demand-forecast'])).stderr).toBe('error: ml/demand-forecast: cannot promote a completed release (v1 → v2); nothing was written\n');
  });

  test('complete before the last step skips the gate: refused (exit 2, nothing written) unless --skip-gate gives the reason, which releases.yaml records', async () => {
    const before = files();
    expect(await release(['complete', 'ml/demand-forecast'])).toEqual({
      code: 2, stdout: '',
      stderr: 'error: ml/demand-forecast: complete at step 1 of 4 gives v2 100% (now 10%) without the gate; promote through the gate first, ' +
        'or pass --skip-gate <reason> (recorded in releases.yaml; npm run diff rates it risky); nothing was written\n',
    });
    expect(await release(['complete', 'ml/demand-forecast', '--skip-gate', ' '])).toEqual({ code: 2, stdout: '', stderr: 'error: --skip-gate must give the reason, received ""; nothing was written\n' });
    expect(files()).toEqual(before);
    expect(await release(['complete', 'ml/demand-forecast', '--skip-gate', 'v1 corrupts forecasts (INC-42)'])).toEqual({
      code: 0, stderr: '', stdout: 'ml/demand-forecast: v2 10% → 100%, v1 90% → 0% (completed; gate skipped: v1 corrupts forecasts (INC-42))\n',
    });
    expect(readFileSync(join(work, 'releases.yaml'), 'utf8')).toContain(
      'ml/demand-forecast:\n  from: v1\n  to: v2\n  state: completed\n  step: 1\n  weights: { v1: 0, v2: 100 }\n  gateSkipped: v1 corrupts forecasts (INC-42)\n',
    );
    expect(routeOf()).toBe('        - destination:\n            host: demand-forecast\n            subset: v2\n');
  });

  test('--skip-gate on a move that skips no gate is refused, so that no skip is recorded that did not happen', async () => {
    for (let step = 0; step < 3; step++) await release(['promote', 'ml/demand-forecast']);
    const atTheEnd = files();
    expect(await release(['complete', 'ml/demand-forecast', '--skip-gate', 'in a hurry'])).toEqual({
      code: 2, stdout: '', stderr: 'error: ml/demand-forecast: --skip-gate: complete at step 4 of 4 skips no gate; run it without --skip-gate; nothing was written\n',
    });
    expect(files()).toEqual(atTheEnd);
  });

  test('rollback sends all traffic back to from; a rolled-back release cannot be promoted', async () => {
    expect(await release(['rollback', 'ml/demand-forecast'])).toEqual({ code: 0, stderr: '', stdout: 'ml/demand-forecast: v2 10% → 0%, v1 90% → 100% (rolled back)\n' });
    expect(position()).toEqual(['state: rolled-back', 'step: 1']);
    expect(routeOf()).toBe('        - destination:\n            host: demand-forecast\n            subset: v1\n');
    const rolledBack = files();
    expect(await release(['promote', 'ml/demand-forecast'])).toEqual({ code: 2, stdout: '', stderr: 'error: ml/demand-forecast: cannot promote a rolled-back release (v1 → v2); nothing was written\n' });
    expect(await release(['rollback', 'ml/demand-forecast'])).toEqual({ code: 2, stdout: '', stderr: 'error: ml/demand-forecast: the release v1 → v2 is already rolled back; nothing was written\n' });
    expect(await release(['complete', 'ml/demand-forecast'])).toEqual({ code: 2, stdout: '', stderr: 'error: ml/demand-forecast: cannot complete a rolled-back release (v1 → v2); nothing was written\n' });
    expect(files()).toEqual(rolledBack);
  });

  test('an unknown service is impossible: exit 2, naming the services that have a release', async () => {
    const before = files();
    expect(await release(['promote', 'ml/fraud-scorer'])).toEqual({ code: 2, stdout: '', stderr: 'error: ml/fraud-scorer: no progressive release in this app (releases: ml/demand-forecast); nothing was written\n' });
    expect(files()).toEqual(before);
  });

  test('a gated promote fails closed when Prometheus is unreachable: exit 1, nothing written', async () => {
    const before = files();
    const url = `http://127.0.0.1:${await closedPort()}`;
    expect(await release(['promote', 'ml/demand-forecast', '--prometheus', url, '--rollback-on-failure'])).toEqual({
      code: 1,
      stdout: `ml/demand-forecast: gate on v2 of demand-forecast.ml.svc.cluster.local (${url})\n`,
      stderr: `error: cannot reach Prometheus at ${url}: ECONNREFUSED\n`,
    });
    expect(files()).toEqual(before);
  });

  test.each([
    ['NaN success rate despite 500 requests', { requests: '500', successRate: 'NaN', p99Latency: '120' }, 'success rate must be from 0 to 100 (%) when 500 requests were counted, received NaN'],
    ['a success rate of 150%', { requests: '500', successRate: '150', p99Latency: '120' }, 'success rate must be from 0 to 100 (%), received 150'],
    ['an infinite success rate', { requests: '500', successRate: '+Inf', p99Latency: '120' }, 'success rate must be from 0 to 100 (%), received +Inf'],
    ['a negative p99 latency', { requests: '500', successRate: '99.5', p99Latency: '-5' }, 'p99 latency must be a latency from 0 ms, received -5'],
  ])('a gate answer no candidate can have (%s) is an unavailable gate: exit 1, nothing written, no rollback', async (_, samples, problem) => {
    const prometheus = await prometheusAnswering(samples);
    try {
      const before = files();
      const { code, stdout, stderr } = await release(['promote', 'ml/demand-forecast', '--prometheus', prometheus.url, '--rollback-on-failure']);
      expect({ code, stdout }).toEqual({ code: 1, stdout: `ml/demand-forecast: gate on v2 of demand-forecast.ml.svc.cluster.local (${prometheus.url})\n` });
      expect(stderr).toMatch(new RegExp(`^error: Prometheus at ${prometheus.url}: ${problem.replace(/[()+]/g, '\\$&')}, for .+; the gate cannot judge the candidate\n$`));
      expect(files()).toEqual(before);
    } finally {
      await prometheus.close();
    }
  });

  test('a promote the gate let through records the step and its weights (gated); a hand promote keeps the last gated step; a rollback forgets it', async () => {
    const entry = () => readFileSync(join(work, 'releases.yaml'), 'utf8').split('ml/demand-forecast:\n')[1];
    const prometheus = await prometheusAnswering({ requests: '500', successRate: '99.8', p99Latency: '120' });
    try {
      expect((await release(['promote', 'ml/demand-forecast', '--prometheus', prometheus.url])).code).toBe(0);
    } finally {
      await prometheus.close();
    }
    expect(entry()).toBe('  from: v1\n  to: v2\n  state: progressing\n  step: 2\n  weights: { v1: 75, v2: 25 }\n  gated: { step: 2, weights: { v1: 75, v2: 25 } }\n');
    await release(['promote', 'ml/demand-forecast']);
    expect(entry()).toBe('  from: v1\n  to: v2\n  state: progressing\n  step: 3\n  weights: { v1: 50, v2: 50 }\n  gated: { step: 2, weights: { v1: 75, v2: 25 } }\n');
    await release(['rollback', 'ml/demand-forecast']);
    expect(entry()).toBe('  from: v1\n  to: v2\n  state: rolled-back\n  step: 3\n  weights: { v1: 100, v2: 0 }\n');
  });

  test('a --releases file that does not exist, or cannot be read, is refused: it would restart every release at step 0', async () => {
    const run = async (args: string[]) => {
      let stderr = '';
      const code = await runReleaseCli([...args, '--outdir', join(work, 'dist')], { stdout: () => undefined, stderr: (text) => (stderr += text) }, buildApp);
      return { code, stderr: stderr.split(`${work}/`).join('') };
    };
    const before = files();
    expect(await run(['promote', 'ml/demand-forecast', '--releases', join(work, 'releases.yml')])).toEqual({ code: 2, stderr: 'error: --releases: no such file, received "releases.yml"; nothing was written\n' });
    expect(await run(['status', '--releases', work])).toEqual({ code: 1, stderr: `error: ${work}: cannot read it (EISDIR)\n` });
    expect(files()).toEqual(before);
  });

  test('--releases and --outdir name one pair: a move with only one of them is refused (exit 2, nothing written), so dist/ never goes without its releases file', async () => {
    // GIVEN another positions file beside the app's own, in the folder the app's relative paths resolve from
    writeFileSync(join(work, 'other.yaml'), readFileSync(join(work, 'releases.yaml'), 'utf8'));
    const cwd = process.cwd();
    process.chdir(work);
    try {
      const before = files();
      const alone = async (args: string[]) => {
        let stderr = '';
        const code = await runReleaseCli(args, { stdout: () => undefined, stderr: (text) => (stderr += text) }, buildApp);
        return { code, stderr };
      };
      expect(await alone(['promote', 'ml/demand-forecast', '--releases', 'other.yaml'])).toEqual({
        code: 2,
        stderr: 'error: --releases: a move must also name the output directory synthesized from it (--outdir), since dist/ belongs to the app\'s own releases file, ' +
          'received --releases other.yaml alone; nothing was written\n',
      });
      expect(await alone(['rollback', 'ml/demand-forecast', '--outdir', 'out'])).toEqual({
        code: 2,
        stderr: 'error: --outdir: a move must also name the positions file it is synthesized from (--releases), since the app\'s own releases file belongs to dist/, ' +
          'received --outdir out alone; nothing was written\n',
      });
      expect(files()).toEqual(before);
      // Reading is not writing: status reads another file alone.
      expect((await alone(['status', '--releases', 'other.yaml'])).code).toBe(0);
    } finally {
      process.chdir(cwd);
    }
  });

  test('a usage mistake in a subcommand is one line and exit 2, never an exit of the process', async () => {
    expect(await release(['promote'])).toEqual({ code: 2, stdout: '', stderr: "error: missing required argument 'ns/service'\n" });
  });

  test('--rollback-on-failure needs --prometheus', async () => {
    expect(await release(['promote', 'ml/demand-forecast', '--rollback-on-failure'])).toEqual({ code: 2, stdout: '', stderr: 'error: --rollback-on-failure needs --prometheus <url>; nothing was written\n' });
  });

  test('a move whose synth fails writes nothing: releases.yaml and dist/ stay as they were', async () => {
    // GIVEN an app whose candidate is declared idle: giving it traffic is a synth error
    const idleCandidate = (props: RoutingAppProps) => {
      const app = new RoutingApp(props);
      new ModelService(new Chart(app, 'ml', { namespace: 'ml' }), 'demand-forecast', {
        versions: { v1: {}, v2: { idle: true } },
        traffic: Strategy.progressive({
          from: 'v1', to: 'v2', steps: [Percent.of(50), Percent.of(100)],
          analysis: { minRequests: 1, successRate: Percent.of(99), p99Latency: Duration.seconds(1), interval: Duration.minutes(1) },
        }),
      });
      return app;
    };
    writeFileSync(join(work, 'releases.yaml'), 'ml/demand-forecast:\n  from: v1\n  to: v2\n  state: progressing\n  step: 0\n  weights: { v1: 100, v2: 0 }\n');
    const before = files();
    expect(await release(['promote', 'ml/demand-forecast'], idleCandidate)).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: synth failed with 1 problem; nothing was written:\n  ml/demand-forecast: version "v2": is declared idle, but route "default" sends it traffic\n',
    });
    expect(files()).toEqual(before);
  });

  test('a plan changed in code mid-release is refused: the recorded step would give the candidate other weights', async () => {
    // GIVEN the example at step 1 (v2 10%) and its plan changed from 10, 25, 50, 100 to 60, 100
    const changedPlan = (props: RoutingAppProps) => {
      const app = new RoutingApp({ releasesFile: 'releases.yaml', ...props });
      new ModelService(new Chart(app, 'ml', { namespace: 'ml' }), 'demand-forecast', {
        versions: { v1: {}, v2: {} },
        traffic: Strategy.progressive({
          from: 'v1', to: 'v2', steps: [Percent.of(60), Percent.of(100)],
          analysis: { minRequests: 100, successRate: Percent.of(99), p99Latency: Duration.millis(500), interval: Duration.minutes(5) },
        }),
      });
      return app;
    };
    const before = files();
    const refusal = 'error: synth failed with 1 problem; nothing was written:\n  ml/demand-forecast: default route: releases.yaml: ml/demand-forecast: ' +
      'step 1 was recorded as v1 90%, v2 10%, but the plan in code gives v1 40%, v2 60% there (steps 60, 100): ' +
      'a plan changed mid-release would move traffic past the gate; change it once the release is completed or rolled back\n';
    expect(await release(['status'], changedPlan)).toEqual({ code: 1, stdout: '', stderr: refusal });
    expect(await release(['promote', 'ml/demand-forecast'], changedPlan)).toEqual({ code: 1, stdout: '', stderr: refusal });
    expect(files()).toEqual(before);
  });

  test('a malformed releases.yaml is reported with the file, the entry and the value', async () => {
    writeFileSync(join(work, 'releases.yaml'), 'ml/demand-forecast:\n  from: v1\n  to: v2\n  state: progressing\n  step: 9\n  weights: { v1: 0, v2: 100 }\n');
    expect(await release(['status'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: synth failed with 1 problem; nothing was written:\n  ml/demand-forecast: default route: releases.yaml: ml/demand-forecast: step must be between 0 and 4 (the plan has 4 steps), received 9\n',
    });
    expect(existsSync(join(work, 'dist/ml.demand-forecast.yaml'))).toBe(true);
  });
});
