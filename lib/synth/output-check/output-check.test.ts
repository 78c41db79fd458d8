import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chart } from 'cdk8s';
import { buildSync } from 'esbuild';
import { Exposure, ModelService, RoutingApp } from '../..';
import { declareFleet, declareService } from '../../../bench/fleet';
import { collectOutputFiles } from '../collect';
import { serializeFile } from '../serialize';
import { validateObjects } from '../../validation';
import { OutputCheck, WORKER_LIMITS } from './output-check';
import { serializeClaimed } from './output-work';
import { useWorkerScript } from './worker-script';
import { THREAD_THRESHOLDS } from '../thread-thresholds';

// The worker runs bundled JavaScript, as in the build: bundle it once here.
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'synth-worker-'));
  const script = join(dir, 'synth-worker.js');
  buildSync({ entryPoints: [join(__dirname, 'worker.ts')], outfile: script, bundle: true, platform: 'node', target: 'node20', format: 'cjs', mainFields: ['module', 'main'], logLevel: 'warning' });
  useWorkerScript(script);
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
      expect(contents).toEqual(files.map(serializeFile));
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

  test('the worker starts with an app that asks for it, and synth uses that one', () => {
    const start = jest.spyOn(OutputCheck, 'start');
    try {
      const app = new RoutingApp({ parallel: true });
      expect(start.mock.calls).toEqual([[true]]);
      declareFleet(app, 3);
      const parallel = app.synthesize();
      expect(start).toHaveBeenCalledTimes(1);
      const alone = new RoutingApp({ parallel: false });
      declareFleet(alone, 3);
      expect(parallel.files).toEqual(alone.synthesize().files);
      // Each synth has its own: a second one starts another.
      app.synthesize();
      expect(start.mock.calls).toEqual([[true], [false], [true]]);
    } finally {
      start.mockRestore();
    }
  });

  describe('by default', () => {
    const defaults = { ...THREAD_THRESHOLDS };
    let start: jest.SpiedFunction<typeof OutputCheck.start>;
    let close: jest.SpiedFunction<OutputCheck['close']>;
    beforeEach(() => {
      Object.assign(THREAD_THRESHOLDS, { workerStartAtServices: 4, parallelFromServices: 6 });
      start = jest.spyOn(OutputCheck, 'start');
      close = jest.spyOn(OutputCheck.prototype, 'close');
    });
    afterEach(() => {
      Object.assign(THREAD_THRESHOLDS, defaults);
      start.mockRestore();
      close.mockRestore();
    });
    /** Declares `count` services, checking that the worker starts with the fourth. */
    const declare = (app: RoutingApp, count: number) => {
      const chart = new Chart(app, 'fleet');
      for (let i = 0; i < count; i++) {
        declareService(chart, i);
        expect(start).toHaveBeenCalledTimes(i < 3 ? 0 : 1);
      }
      expect(start.mock.calls).toEqual([[true]]);
    };

    test('the worker starts while the app is declared, and synth uses it', () => {
      const app = new RoutingApp();
      declare(app, 6);
      app.synthesize();
      expect(start.mock.calls).toEqual([[true]]);
      expect(close).toHaveBeenCalledTimes(1);
    });

    test('an app that stays under the threshold closes the started worker and synthesizes on one thread', () => {
      const app = new RoutingApp();
      declare(app, 5);
      const result = app.synthesize();
      expect(start.mock.calls).toEqual([[true], [false]]);
      // The started worker, then the one-thread check after synth.
      expect(close).toHaveBeenCalledTimes(2);
      expect(close.mock.contexts[0]).toBe(start.mock.results[0].value);
      const alone = new RoutingApp({ parallel: false });
      const chart = new Chart(alone, 'fleet');
      for (let i = 0; i < 5; i++) declareService(chart, i);
      expect(result.files).toEqual(alone.synthesize().files);
    });
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
      useWorkerScript(join(dir, 'synth-worker.js'));
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
      useWorkerScript(join(dir, 'synth-worker.js'));
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
