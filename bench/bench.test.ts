import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureDiff } from './diff-bench';
import { formatTable, runVariant } from './variants';
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
    // Same objects: only the kustomization.yaml differs.
    expect(ours.bytes - floor.bytes).toBe(readFileSync(join(dir, 'ours', 'dist', 'kustomization.yaml')).length);
    const table = formatTable([ours, floor], { cpus: 2 });
    expect(table.split('\n')[0]).toMatch(/^\s+N\s+variant\s+wall s\s+of which write s\s+ms\/service\s+peak RSS MB\s+output bytes\s+ours vs this$/);
    expect(table.split('\n')[1]).toMatch(/^100\s+ours\s+/);
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
