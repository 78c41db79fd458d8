// npm run bench -- --sizes 100,1000,10000 [--runs 3] [--json] [--baseline-timeout 120]
//
// For each size N, in a fresh child process each (so peak RSS is per run):
//   ours     build N services, synthesize + validate, write files to a temp dir
//   floor    the same final objects, serialized with the YAML library and written
//   cdk8s    one Chart per service under one App, App.synth() (cdk8s's usual pattern)
//   with --gateway-api, also a fleet both APIs can write, synthesized as Istio's API
//   (istio-portable) and as the Gateway API (gateway-api), alternately, --runs times each
// ours and floor run --runs times each, alternately, and report the median;
// the cdk8s baseline runs once.
// then, at the largest size, the traffic model explaining --requests requests
// over that fleet, one `explain` of dist/ as a whole process, and `npm run diff`
// between two revisions of a fleet with one service changed (--diff-size, 0 skips).
//
// npm run bench -- --validate-objects 10000,100000 [--sizes none --diff-size 0]
//   validate `node scripts/validate.mjs <one file with N objects>`, the whole process timed
//            (best of --repeat runs), as a user or CI runs it
import { execFileSync, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { cpus, totalmem } from 'node:os';
import { DiffMeasurement, measureDiff } from './diff-bench';
import { formatTable, Measurement, medianOf, runVariant, Variant } from './variants';
import { simulateFleet } from './simulate';
import { formatValidateTable, measureValidate, type ValidateMeasurement } from './validate-variant';

/**
 * Every variant runs with the Node flags of `npm run synth` (package.json): a
 * larger young generation, since synthesis allocates many short-lived objects
 * (about 7% less time in garbage collection at 10,000 services).
 */
const SYNTH_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];

interface Options { gatewayApi: boolean; llm: boolean; sizes: number[]; runs: number; validateObjects: number[]; repeat: number; json: boolean; baselineTimeout: number; requests: number; diffSize: number }

interface Simulation { size: number; requests: number; seconds: number; buildSeconds: number; statuses: Record<number, number> }

function simulateInChild(size: number, requests: number): Promise<Simulation> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--simulate', String(size), String(requests)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [...SYNTH_NODE_FLAGS] });
    child.on('message', (m) => resolve(m as Simulation));
    child.on('exit', (code) => code && reject(new Error(`bench simulate N=${size} exited with ${code}`)));
  });
}

/** The median of five runs of `explain` as a whole process (Node start-up included), on the app's dist/. */
function explainProcessSeconds(): number {
  const runs = Array.from({ length: 5 }, () => {
    const start = process.hrtime.bigint();
    execFileSync(process.execPath, [join(__dirname, 'explain.js'), 'dist', '--host', 'ml-service', '--path', '/predict', '--json'], { stdio: 'ignore' });
    return Number(process.hrtime.bigint() - start) / 1e9;
  });
  return runs.sort((a, b) => a - b)[2];
}

async function measureInChild(variant: Variant, size: number, dir: string, timeoutSeconds: number): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--child', variant, String(size), dir], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: [...SYNTH_NODE_FLAGS],
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve({ variant, size, seconds: timeoutSeconds, rssMb: 0, bytes: 0, timedOut: true });
    }, timeoutSeconds * 1000);
    child.on('message', (m) => {
      clearTimeout(timer);
      resolve(m as Measurement);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code) reject(new Error(`bench child ${variant} N=${size} exited with ${code}`));
    });
  });
}

async function diffInChild(size: number, dir: string): Promise<DiffMeasurement> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--child', 'diff', String(size), dir], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [...SYNTH_NODE_FLAGS] });
    child.on('message', (m) => resolve(m as DiffMeasurement));
    child.on('exit', (code) => code && reject(new Error(`bench child diff N=${size} exited with ${code}`)));
  });
}

async function main(): Promise<void> {
  const childAt = process.argv.indexOf('--child');
  if (childAt >= 0) {
    const [variant, size, dir] = process.argv.slice(childAt + 1);
    process.send!(variant === 'diff' ? measureDiff(Number(size), dir) : runVariant(variant as Variant, Number(size), dir));
    return;
  }
  const simulateAt = process.argv.indexOf('--simulate');
  if (simulateAt >= 0) {
    const [size, requests] = process.argv.slice(simulateAt + 1).map(Number);
    process.send!({ size, requests, ...simulateFleet(size, requests) });
    return;
  }
  const options = new Command()
    .name('bench')
    .option('--sizes <list>', 'comma-separated service counts ("none": skip synth)', (v) => (v === 'none' ? [] : v.split(',').map(Number)), [100, 1000, 10000])
    .option('--runs <n>', 'ours and floor runs per size (alternating); the median is reported', Number, 3)
    .option('--validate-objects <list>', 'comma-separated object counts for the validate variant ("none": skip it)', (v) => (v === 'none' ? [] : v.split(',').map(Number)), [10000])
    .option('--repeat <n>', 'validate runs per size; the best is reported', Number, 3)
    .option('--json', 'print JSON instead of a table', false)
    .option('--gateway-api', 'also synthesize a fleet both APIs can write, in each API', false)
    .option('--llm', 'also synthesize a fleet of LLM services (LlmService) of each size', false)
    .option('--baseline-timeout <seconds>', 'stop the cdk8s chart-per-service baseline after this long', Number, 120)
    .option('--requests <count>', 'requests the traffic model explains over the largest fleet', Number, 100000)
    .option('--diff-size <n>', 'services in the fleet for the npm run diff measurement (0: skip it)', Number, 10000)
    .parse(process.argv)
    .opts<Options>();
  if (!Number.isInteger(options.diffSize) || options.diffSize < 0) {
    process.stderr.write(`bench: --diff-size must be a whole number, received ${options.diffSize}\n`);
    process.exitCode = 2;
    return;
  }
  const bad = [...options.sizes, ...options.validateObjects, options.repeat, options.runs].filter((n) => !Number.isInteger(n) || n < 1);
  if (bad.length) {
    process.stderr.write(`bench: --sizes, --validate-objects, --repeat and --runs must be whole numbers of at least 1, received ${bad.join(',')}\n`);
    process.exitCode = 2;
    return;
  }
  const results: Measurement[] = [];
  const validateResults: ValidateMeasurement[] = [];
  let diff: DiffMeasurement | undefined;
  // Deleting many files slows this machine's disk for seconds afterwards (ext4
  // with online discard), so every run's output is kept until all are measured.
  const scratch = mkdtempSync(join(tmpdir(), 'bench-'));
  try {
    for (const size of options.sizes) {
      const runs: Record<'ours' | 'floor', Measurement[]> = { ours: [], floor: [] };
      for (let run = 0; run < options.runs; run++) {
        for (const variant of ['ours', 'floor'] as const) {
          runs[variant].push(await measureInChild(variant, size, join(scratch, `${variant}-${size}-${run}`), 600));
          if (!options.json) process.stderr.write(`  measured ${variant} N=${size} (run ${run + 1} of ${options.runs})\n`);
        }
      }
      results.push(medianOf(runs.ours), medianOf(runs.floor));
      if (options.gatewayApi) {
        const apis: Record<'istio-portable' | 'gateway-api', Measurement[]> = { 'istio-portable': [], 'gateway-api': [] };
        for (let run = 0; run < options.runs; run++) {
          for (const variant of ['istio-portable', 'gateway-api'] as const) {
            apis[variant].push(await measureInChild(variant, size, join(scratch, `${variant}-${size}-${run}`), 600));
            if (!options.json) process.stderr.write(`  measured ${variant} N=${size} (run ${run + 1} of ${options.runs})\n`);
          }
        }
        results.push(medianOf(apis['istio-portable']), medianOf(apis['gateway-api']));
      }
      if (options.llm) {
        const llm: Measurement[] = [];
        for (let run = 0; run < options.runs; run++) {
          llm.push(await measureInChild('llm', size, join(scratch, `llm-${size}-${run}`), 600));
          if (!options.json) process.stderr.write(`  measured llm N=${size} (run ${run + 1} of ${options.runs})\n`);
        }
        results.push(medianOf(llm));
      }
      results.push(await measureInChild('cdk8s-chart-per-service', size, join(scratch, `cdk8s-${size}`), options.baselineTimeout));
      if (!options.json) process.stderr.write(`  measured cdk8s-chart-per-service N=${size}\n`);
    }
    if (options.diffSize > 0) diff = await diffInChild(options.diffSize, join(scratch, `diff-${options.diffSize}`));
    for (const objects of options.validateObjects) {
      validateResults.push(measureValidate(objects, join(scratch, `validate-${objects}.yaml`), options.repeat));
      if (!options.json) process.stderr.write(`  measured validate N=${objects} objects\n`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  // The traffic model and explain follow the synth sizes (skipped with --sizes none).
  const simulation = options.sizes.length ? await simulateInChild(Math.max(...options.sizes), options.requests) : undefined;
  const explainSeconds = simulation ? explainProcessSeconds() : 0;
  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version };
  if (options.json) {
    const extra = { ...(simulation ? { simulation, explainSeconds } : {}), ...(diff ? { diff } : {}), ...(validateResults.length ? { validate: validateResults } : {}) };
    process.stdout.write(JSON.stringify({ machine, results, ...extra }, null, 2) + '\n');
  } else {
    if (results.length) process.stdout.write(formatTable(results, machine));
    if (simulation) {
      process.stdout.write(`traffic model: ${simulation.requests} requests over ${simulation.size} services in ${simulation.seconds.toFixed(2)} s (model built in ${simulation.buildSeconds.toFixed(2)} s); statuses ${JSON.stringify(simulation.statuses)}\n`);
      process.stdout.write(`explain: one request through dist/ as a whole process, median of 5: ${explainSeconds.toFixed(2)} s\n`);
    }
    if (diff) process.stdout.write(formatDiff(diff));
    if (validateResults.length) process.stdout.write(formatValidateTable(validateResults, machine));
  }
}

function formatDiff(d: DiffMeasurement): string {
  return `npm run diff --base HEAD, N=${d.size}, one service changed: ${d.seconds.toFixed(2)} s (Node, git and both revisions; npm's start-up not included)\n  ${d.summary}\n`;
}

main().catch((err) => {
  process.stderr.write(`bench: ${err.message}\n`);
  process.exitCode = 1;
});
