import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateFiles } from '../lib/validation/cli/validate-files';
import { measureDiff } from './diff-bench';
import { writeValidateInput } from './validate-input';
import { formatValidateTable } from './validate-variant';
import { formatTable, medianOf, runVariant } from './variants';
import { simulateFleet } from './simulate';

// Keeps the benchmark working; its timings are never asserted.
describe('bench', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'bench-test-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('ours and the floor write the same services at N = 100', () => {
    const ours = runVariant('ours', 100, join(dir, 'ours'));
    const floor = runVariant('floor', 100, join(dir, 'floor'));
    expect(ours).toMatchObject({ variant: 'ours', size: 100 });
    expect(ours.bytes).toBeGreaterThan(100 * 1000);
    // Same objects, same bytes.
    expect(ours.bytes).toBe(floor.bytes);
    const table = formatTable([ours, floor], { cpus: 2 });
    expect(table.split('\n')[0]).toMatch(/^\s+N\s+variant\s+wall s \(median\)\s+runs wall s\s+of which write s\s+ms\/service\s+peak RSS MB\s+output bytes\s+ours vs this$/);
    expect(table.split('\n')[1]).toMatch(/^100\s+ours\s+/);
  });

  test('the portable fleet synthesizes in both APIs at N = 100, and the table sets them run by run', () => {
    const istio = runVariant('istio-portable', 100, join(dir, 'istio'));
    const gateway = runVariant('gateway-api', 100, join(dir, 'gateway'));
    expect(istio).toMatchObject({ variant: 'istio-portable', size: 100 });
    expect(gateway).toMatchObject({ variant: 'gateway-api', size: 100 });
    expect(readFileSync(join(dir, 'gateway', 'dist', 'team-0.model-0.yaml'), 'utf8')).toContain('kind: HTTPRoute');
    const runs = (variant: 'ours' | 'istio-portable' | 'gateway-api', seconds: number[]) => medianOf(seconds.map((s) => ({ variant, size: 10, seconds: s, rssMb: 1, bytes: 1 })));
    const table = formatTable([runs('ours', [1]), runs('istio-portable', [2, 2]), runs('gateway-api', [3, 4])], { cpus: 2 });
    expect(table.split('\n')).toContain('gateway-api/istio-portable at N=10, run by run: 1.50 2.00 (median 1.50)');
  });

  test('several runs report the median run, with every run\'s time', () => {
    const run = (seconds: number) => ({ variant: 'ours' as const, size: 10, seconds, rssMb: seconds, bytes: 1 });
    expect(medianOf([run(3), run(1), run(2)])).toEqual({ ...run(2), runs: [3, 1, 2] });
    expect(medianOf([run(4), run(2)])).toEqual({ ...run(2), runs: [4, 2] });
    expect(medianOf([run(5)])).toEqual(run(5));
  });

  test('the table sets each run of ours against the floor run beside it', () => {
    const runs = (variant: 'ours' | 'floor', seconds: number[]) => medianOf(seconds.map((s) => ({ variant, size: 10, seconds: s, rssMb: 1, bytes: 1 })));
    const table = formatTable([runs('ours', [3, 4, 5]), runs('floor', [1, 2, 2])], { cpus: 2 });
    expect(table.split('\n')).toContain('ours/floor at N=10, run by run: 3.00 2.00 2.50 (median 2.50)');
    expect(formatTable([runs('ours', [3]), runs('floor', [1])], { cpus: 2 })).not.toContain('run by run');
  });

  test('the traffic model explains every request of a fleet, and routes them', () => {
    const { statuses } = simulateFleet(8, 80);
    expect(Object.values(statuses).reduce((a, b) => a + b, 0)).toBe(80);
    expect(statuses[200]).toBeGreaterThan(0);
  });

  test('npm run diff between two revisions of the fleet finds the one service changed', () => {
    const result = measureDiff(100, join(dir, 'diff'));
    expect(result).toMatchObject({
      size: 100,
      summary: '1 service changes: 0 risky changes, 2 to review, 0 informational. Traffic moves: 10% of /predict moves from v1 to v2 on team-0/model-0.',
    });
  });
});

describe('validate benchmark', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'bench-validate-test-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('its input is one file of N valid objects, and the table reports wall and CPU time', () => {
    const file = join(dir, 'objects.yaml');
    const bytes = writeValidateInput(file, 20);
    expect(readFileSync(file).length).toBe(bytes);
    const report = validateFiles([file], { contextFiles: [] });
    expect(report.objects).toBe(20);
    expect(report.diagnostics).toEqual([]);
    const table = formatValidateTable([{ variant: 'validate', objects: 20, seconds: 0.5, runs: [0.6, 0.5], cpuSeconds: 0.45, rssMb: 90, bytes }], { cpus: 2 });
    expect(table.split('\n')[1]).toMatch(/^N objects\s+variant\s+wall s \(best\)\s+cpu s\s+runs wall s\s+µs\/object\s+peak RSS MB\s+input bytes$/);
    expect(table.split('\n')[2]).toMatch(/^\s+20\s+validate\s+0\.50\s+0\.45\s+0\.60 0\.50\s+25000\s+90\s+\d+$/);
  });
});
