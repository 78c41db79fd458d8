// The release gate against a real Prometheus: `npm run release -- promote` on
// the example's demand-forecast (a copy of releases.yaml and dist/ in the
// temp dir), for a healthy, a failing, a quiet and an absent candidate, for
// metrics no candidate can have (a NaN or negative p99), and with Prometheus
// unreachable or answering an error.
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from '../loopback.mjs';
import { indent } from '../log.mjs';
import { REPO_ROOT } from '../paths.mjs';
import { run } from '../processes.mjs';
import { phase } from '../report.mjs';
import { workspacePath } from '../workspace.mjs';
import { startExporter } from './istio-exporter.mjs';
import { startPrometheus, waitForScrapes } from './prometheus.mjs';

const SERVICE = 'ml/demand-forecast';
const SOURCES = ['healthy', 'failing', 'quiet', 'empty', 'no-latency', 'negative-latency'];

/** Runs every scenario; one summary entry each. */
export async function checkReleaseGate({ prometheusBin, summary }) {
  const exporter = await phase('release gate: start the metrics exporter', () => startExporter());
  try {
    const servers = await phase(`release gate: start Prometheus x${SOURCES.length}`, () =>
      Promise.all(SOURCES.map((source) => startPrometheus(prometheusBin, source, exporter.port, source))));
    const prometheus = Object.fromEntries(SOURCES.map((source, i) => [source, servers[i]]));
    await phase('release gate: wait for 5 scrapes each', () =>
      Promise.all(SOURCES.map((source) => waitForScrapes(prometheus[source], source, 5))));
    await phase('release gate: scenarios', async () => {
      // One scenario needs a free port first: each is awaited once.
      for (const pending of scenarios(prometheus)) {
        const scenario = await pending;
        const failure = await runScenario(scenario);
        const name = `release gate: ${scenario.name}`;
        if (failure) summary.failures.push(`${name}\n${indent(failure)}`);
        else summary.passed.push(name);
      }
    });
  } finally {
    await exporter.close();
  }
}

function scenarios(prometheus) {
  const gated = (url, ...extra) => ['promote', SERVICE, '--prometheus', url, ...extra];
  const unchanged = { releases: 'step: 1', state: 'progressing', weights: [90, 10] };
  return [
    {
      name: 'a healthy candidate is promoted one step (10% → 25%)',
      args: gated(prometheus.healthy.url),
      code: 0,
      output: [/pass {2}requests +[\d.]+ >= 100 in 300s/, /pass {2}success rate +99\.\d\d% >= 99%/, /pass {2}p99 latency +\d+(\.\d+)?ms <= 500ms/, 'ml/demand-forecast: v2 10% → 25%, v1 90% → 75% (step 2 of 4)'],
      expect: { releases: 'step: 2', state: 'progressing', weights: [75, 25] },
    },
    {
      name: 'a failing candidate is refused: exit 1, nothing written',
      args: gated(prometheus.failing.url),
      code: 1,
      output: [/pass {2}requests/, /FAIL {2}success rate +90\.\d\d% >= 99%/, /FAIL {2}p99 latency +\d+(\.\d+)?ms <= 500ms/, 'ml/demand-forecast: not promoted: success rate, p99 latency failed; nothing was written'],
      expect: unchanged,
    },
    {
      name: 'a failing candidate is rolled back with --rollback-on-failure: exit 1',
      args: gated(prometheus.failing.url, '--rollback-on-failure'),
      code: 1,
      output: [/FAIL {2}success rate/, 'ml/demand-forecast: v2 failed success rate, p99 latency; rolling back', 'ml/demand-forecast: v2 10% → 0%, v1 90% → 100% (rolled back)'],
      expect: { releases: 'step: 1', state: 'rolled-back', weights: [100] },
    },
    {
      name: 'too few requests is a failed check, and no reason to roll back',
      args: gated(prometheus.quiet.url, '--rollback-on-failure'),
      code: 1,
      output: [/FAIL {2}requests +[\d.]+ >= 100 in 300s/, /pass {2}success rate +100\.00% >= 99%/, 'ml/demand-forecast: not promoted: requests failed (too few requests to judge: not rolled back); nothing was written'],
      expect: unchanged,
    },
    {
      name: 'no data for the candidate fails closed: exit 1, nothing written',
      args: gated(prometheus.empty.url, '--rollback-on-failure'),
      code: 1,
      output: [`error: Prometheus at ${prometheus.empty.url} has no data for sum(increase(istio_requests_total{reporter="destination",destination_service="demand-forecast.ml.svc.cluster.local",destination_version="v2"}[300s]))`],
      expect: unchanged,
    },
    {
      name: 'a NaN p99 despite counted requests is an unavailable gate: exit 1, nothing written, no rollback',
      args: gated(prometheus['no-latency'].url, '--rollback-on-failure'),
      code: 1,
      output: [new RegExp(`error: Prometheus at ${prometheus['no-latency'].url}: p99 latency must be a latency from 0 ms when [\\d.]+ requests were counted, received NaN, for histogram_quantile`)],
      expect: unchanged,
    },
    {
      name: 'a negative p99 is an unavailable gate, not a pass: exit 1, nothing written',
      args: gated(prometheus['negative-latency'].url, '--rollback-on-failure'),
      code: 1,
      output: [`error: Prometheus at ${prometheus['negative-latency'].url}: p99 latency must be a latency from 0 ms, received -5, for histogram_quantile`],
      expect: unchanged,
    },
    {
      name: 'a query error (HTTP 404 from a wrong URL) fails closed',
      args: gated(`${prometheus.healthy.url}/not-the-api`, '--rollback-on-failure'),
      code: 1,
      output: [`error: Prometheus at ${prometheus.healthy.url}/not-the-api answered HTTP 404`],
      expect: unchanged,
    },
    freePort().then((port) => ({
      name: 'an unreachable Prometheus fails closed',
      args: gated(`http://127.0.0.1:${port}`, '--rollback-on-failure'),
      code: 1,
      output: [`error: cannot reach Prometheus at http://127.0.0.1:${port}: ECONNREFUSED`],
      expect: unchanged,
    })),
  ];
}

/** Runs the CLI on a fresh copy of releases.yaml and dist/; returns why it failed, or null. */
async function runScenario({ name, args, code, output, expect }) {
  const dir = workspacePath('release-gate', name.replace(/\W+/g, '-'));
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(path.join(REPO_ROOT, 'releases.yaml'), path.join(dir, 'releases.yaml'));
  fs.cpSync(path.join(REPO_ROOT, 'dist'), path.join(dir, 'dist'), { recursive: true });
  const r = await run('node', ['scripts/release.mjs', ...args, '--releases', path.join(dir, 'releases.yaml'), '--outdir', path.join(dir, 'dist')], {
    cwd: REPO_ROOT, timeoutMs: 60_000, name: 'npm run release',
  });
  const text = `${r.stdout}${r.stderr}`;
  const problems = [];
  if (r.code !== code) problems.push(`exit ${r.code}, expected ${code}`);
  for (const want of output) {
    if (!(typeof want === 'string' ? text.includes(want) : want.test(text))) problems.push(`output lacks ${want}`);
  }
  const releases = fs.readFileSync(path.join(dir, 'releases.yaml'), 'utf8');
  if (!releases.includes(`  ${expect.releases}\n`) || !releases.includes(`  state: ${expect.state}\n`)) {
    problems.push(`releases.yaml should hold ${expect.state} ${expect.releases}:\n${indent(releases)}`);
  }
  const routed = fs.readFileSync(path.join(dir, 'dist/ml.demand-forecast.yaml'), 'utf8');
  const weights = [...routed.matchAll(/weight: (\d+)/g)].map((m) => Number(m[1]));
  const want = expect.weights.length === 1 ? [] : expect.weights;
  if (weights.join() !== want.join()) problems.push(`dist/ml.demand-forecast.yaml weights ${weights.join(', ') || 'none'}, expected ${want.join(', ') || 'none'}`);
  return problems.length ? `${problems.join('\n')}\noutput:\n${indent(text)}` : null;
}
