import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chart } from 'cdk8s';
import { buildSync } from 'esbuild';
import { Exposure, ModelService, RoutingApp } from '../..';
import { declareFleet } from '../../../bench/fleet';
import { collectOutputFiles } from '../collect';
import { serializeObjects } from '../serialize';
import { validateObjects } from '../../validation';
import { OutputCheck, WORKER_LIMITS } from './output-check';
import { serializeClaimed } from './output-work';
import { useWorkerScript, WORKER_BUNDLE, WORKER_CODE_BUNDLE } from './worker-script';
import { CACHE_SUFFIX } from './compile-cache';

// The worker runs bundled JavaScript, its entry and its code, as in the build: bundle them once here.
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'synth-worker-'));
  const bundle = (entry: string, outfile: string) =>
    buildSync({ entryPoints: [join(__dirname, entry)], outfile: join(dir, outfile), bundle: true, platform: 'node', target: 'node20', format: 'cjs', mainFields: ['module', 'main'], logLevel: 'warning' });
  bundle('worker-entry.ts', WORKER_BUNDLE);
  bundle('worker.ts', WORKER_CODE_BUNDLE);
  useWorkerScript(join(dir, WORKER_BUNDLE));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function problemsOf(app: RoutingApp): string[] {
  try {
    app.synthesize();
    return [];
  } catch (err) {
    return (err as { problems: string[] }).problems;
  }
}

describe('synth on two threads', () => {
  test('the worker validates what it is handed and serializes its share: the same findings and bytes as one thread', () => {
    const app = new RoutingApp();
    declareFleet(app, 40);
    const files = collectOutputFiles(app);
    const check = OutputCheck.start(true);
    try {
      expect(check.parallel).toBe(true);
      // Handed over out of output order, as services are checked in tree order.
      for (const file of [...files].reverse()) check.add(file.objects.map((o) => o.json));
      const { diagnostics, contents } = check.finish(files, []);
      expect(diagnostics).toEqual(validateObjects(files.flatMap((f) => f.objects.map((o) => o.json)), { profile: 'strict', context: [] }));
      expect(contents).toEqual(files.map((file) => serializeObjects(file.objects.map((o) => o.json))));
    } finally {
      check.close();
    }
  });

  test('an app synthesizes to the same files and warnings with and without the worker', () => {
    const synthesize = (parallel: boolean) => {
      const app = new RoutingApp({ parallel });
      declareFleet(app, 60);
      return app.synthesize();
    };
    const [one, two] = [synthesize(false), synthesize(true)];
    expect(two.files).toEqual(one.files);
    expect(two.warnings).toEqual(one.warnings);
    expect(two.objectCount).toBe(one.objectCount);
  });

  test("the worker's code is compiled by the first synth only: it keeps V8's code beside the bundle, and the next synths start from it", () => {
    const caches = () => readdirSync(dir).filter((name) => name.endsWith(CACHE_SUFFIX));
    for (const name of caches()) rmSync(join(dir, name));
    const synthesize = (parallel: boolean) => {
      const app = new RoutingApp({ parallel });
      declareFleet(app, 8);
      return app.synthesize().files;
    };
    const alone = synthesize(false);
    expect(synthesize(true)).toEqual(alone);
    expect(caches()).toEqual([expect.stringMatching(/^synth-worker-code\.js\.[0-9a-f]{16}\.v8-cache$/)]);
    const saved = statSync(join(dir, caches()[0])).mtimeMs;
    expect(synthesize(true)).toEqual(alone);
    // Used, not written again.
    expect(caches()).toHaveLength(1);
    expect(statSync(join(dir, caches()[0])).mtimeMs).toBe(saved);
  });

  test('findings found on the worker name the construct, as on one thread', () => {
    const app = (parallel: boolean) => {
      const routing = new RoutingApp({ parallel });
      const chart = new Chart(routing, 'team', { namespace: 'models' });
      new ModelService(chart, 'm', { versions: { v1: {} }, exposure: Exposure.ingress({ gateway: 'edge/public', hosts: ['m.example.com'] }) });
      return routing;
    };
    // A gateway no declaration names: analysis reports it as istioctl analyze would.
    const expected = [
      'team/m/VirtualService: spec.gateways[1]: Referenced gateway not found: "edge/public" [IST0101]',
      'team/m/VirtualService: spec.gateways[1]: one or more host [m m.example.com] defined in VirtualService models/m not found in Gateway edge/public. [IST0132]',
    ];
    expect(problemsOf(app(false))).toEqual(expected);
    expect(problemsOf(app(true))).toEqual(expected);
  });

  test('a worker that dies or never starts is noticed by its heartbeat, not waited for', () => {
    const synthWith = (source: string) => {
      const script = join(dir, `worker-${Math.random()}.js`);
      writeFileSync(script, source);
      useWorkerScript(script);
      const app = new RoutingApp({ parallel: true, outdir: join(dir, 'dist') });
      declareFleet(app, 2);
      return () => app.synth();
    };
    const stall = WORKER_LIMITS.stallMs;
    WORKER_LIMITS.stallMs = 300;
    try {
      expect(synthWith("throw new Error('cannot load');")).toThrow('synth: the validation thread failed: it did not start');
      // Starts, takes every message, then stops answering at the end.
      expect(synthWith(`
        const { parentPort, workerData } = require('node:worker_threads');
        const beat = () => Atomics.add(new Int32Array(workerData.signal), 1, 1);
        parentPort.on('message', beat);
        beat();`)).toThrow('synth: the validation thread failed: it stopped working (no step in 0.3 s)');
      expect(existsSync(join(dir, 'dist'))).toBe(false);
    } finally {
      WORKER_LIMITS.stallMs = stall;
      useWorkerScript(join(dir, WORKER_BUNDLE));
    }
  });

  test('a worker that fails says so, and synth writes nothing', () => {
    const broken = join(dir, 'broken-worker.js');
    writeFileSync(broken, `
      const { parentPort, workerData } = require('node:worker_threads');
      parentPort.on('message', (message) => {
        if (!('finish' in message)) return;
        workerData.port.postMessage({ error: 'out of memory, say' });
        const signal = new Int32Array(workerData.signal);
        Atomics.store(signal, 0, 1);
        Atomics.notify(signal, 0);
      });`);
    useWorkerScript(broken);
    try {
      const app = new RoutingApp({ parallel: true, outdir: join(dir, 'dist') });
      declareFleet(app, 2);
      expect(() => app.synth()).toThrow('synth: the validation thread failed: out of memory, say');
      expect(existsSync(join(dir, 'dist'))).toBe(false);
      expect(readdirSync(dir).filter((name) => name.startsWith('.dist'))).toEqual([]);
    } finally {
      useWorkerScript(join(dir, WORKER_BUNDLE));
    }
  });
});

test('files are claimed one by one from both ends of the list: each is serialized once, by whichever thread reached it first', () => {
  const objects = Array.from({ length: 20 }, (_, i) => ({ kind: 'K', metadata: { name: `o${i}` } }));
  const layout = Array.from({ length: 10 }, (_, i) => [2 * i, 2 * i + 1]);
  const claims = new Int32Array(new SharedArrayBuffer(4 * layout.length));
  // The other thread, from the last file, has got as far as file 6.
  for (const file of [9, 8, 7, 6]) claims[file] = 1;
  const mine = serializeClaimed(objects, layout, claims, 'first');
  expect([...mine.keys()]).toEqual([0, 1, 2, 3, 4, 5]);
  expect(mine.get(5)).toBe('kind: K\nmetadata:\n  name: o10\n---\nkind: K\nmetadata:\n  name: o11\n');
  expect([...claims]).toEqual(new Array(10).fill(1));
  expect(serializeClaimed(objects, layout, claims, 'last').size).toBe(0);
  // Alone, from either end, a thread serializes every file.
  const fromLast = serializeClaimed(objects, layout, new Int32Array(10), 'last');
  expect([...fromLast.keys()]).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
});
