// npm run bench -- --sizes 100,1000,10000 [--json] [--baseline-timeout 120]
//
// For each size N, in a fresh child process each (so peak RSS is per run):
//   ours     build N services, synthesize + validate, write files to a temp dir
//   floor    the same final objects, serialized with the YAML library and written
//   cdk8s    one Chart per service under one App, App.synth() (cdk8s's usual pattern)
//
// npm run bench -- --validate-objects 10000,100000 [--sizes none]
//   validate `node scripts/validate.mjs <one file with N objects>`, the whole process timed
//            (best of --repeat runs), as a user or CI runs it
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { cpus, totalmem } from 'node:os';
import { formatTable, Measurement, runVariant, Variant } from './variants';
import { formatValidateTable, measureValidate, type ValidateMeasurement } from './validate-variant';

/**
 * Every variant runs with the Node flags of `npm run synth` (package.json): a
 * larger young generation, since synthesis allocates many short-lived objects
 * (about 7% less time in garbage collection at 10,000 services).
 */
const SYNTH_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];

interface Options { sizes: number[]; validateObjects: number[]; repeat: number; json: boolean; baselineTimeout: number }

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

async function main(): Promise<void> {
  const childAt = process.argv.indexOf('--child');
  if (childAt >= 0) {
    const [variant, size, dir] = process.argv.slice(childAt + 1);
    process.send!(runVariant(variant as Variant, Number(size), dir));
    return;
  }
  const options = new Command()
    .name('bench')
    .option('--sizes <list>', 'comma-separated service counts ("none": skip synth)', (v) => (v === 'none' ? [] : v.split(',').map(Number)), [100, 1000, 10000])
    .option('--validate-objects <list>', 'comma-separated object counts for the validate variant ("none": skip it)', (v) => (v === 'none' ? [] : v.split(',').map(Number)), [10000])
    .option('--repeat <n>', 'validate runs per size; the best is reported', Number, 3)
    .option('--json', 'print JSON instead of a table', false)
    .option('--baseline-timeout <seconds>', 'stop the cdk8s chart-per-service baseline after this long', Number, 120)
    .parse(process.argv)
    .opts<Options>();
  const bad = [...options.sizes, ...options.validateObjects, options.repeat].filter((n) => !Number.isInteger(n) || n < 1);
  if (bad.length) {
    process.stderr.write(`bench: --sizes, --validate-objects and --repeat must be whole numbers of at least 1, received ${bad.join(',')}\n`);
    process.exitCode = 2;
    return;
  }
  const results: Measurement[] = [];
  const validateResults: ValidateMeasurement[] = [];
  // Deleting many files slows this machine's disk for seconds afterwards (ext4
  // with online discard), so every run's output is kept until all are measured.
  const scratch = mkdtempSync(join(tmpdir(), 'bench-'));
  try {
    for (const size of options.sizes) {
      for (const variant of ['ours', 'floor', 'cdk8s-chart-per-service'] as Variant[]) {
        const timeout = variant === 'cdk8s-chart-per-service' ? options.baselineTimeout : 600;
        results.push(await measureInChild(variant, size, join(scratch, `${variant}-${size}`), timeout));
        if (!options.json) process.stderr.write(`  measured ${variant} N=${size}\n`);
      }
    }
    for (const objects of options.validateObjects) {
      validateResults.push(measureValidate(objects, join(scratch, `validate-${objects}.yaml`), options.repeat));
      if (!options.json) process.stderr.write(`  measured validate N=${objects} objects\n`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version };
  if (options.json) process.stdout.write(JSON.stringify({ machine, results, validate: validateResults }, null, 2) + '\n');
  else {
    if (results.length) process.stdout.write(formatTable(results, machine));
    if (validateResults.length) process.stdout.write(formatValidateTable(validateResults, machine));
  }
}

main().catch((err) => {
  process.stderr.write(`bench: ${err.message}\n`);
  process.exitCode = 1;
});
