import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { buildApp } from '../../main';

let work: string;
beforeEach(() => {
  // GIVEN the repository's dist/, where demand-forecast is at step 1 (v2 10%)
  work = mkdtempSync(join(tmpdir(), 'unrecorded-'));
  cpSync(join(__dirname, '../../dist'), join(work, 'dist'), { recursive: true });
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

function synth(): string[] {
  try {
    buildApp({ outdir: join(work, 'dist'), releasesFile: join(work, 'releases.yaml') }).synth();
    return [];
  } catch (err) {
    return ((err as { problems?: string[] }).problems ?? [(err as Error).message]).map((p) => p.split(`${work}/`).join(''));
  }
}

function files(): Record<string, string> {
  const walk = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
  return Object.fromEntries(walk(work).map((f) => [relative(work, f), readFileSync(f, 'utf8')]));
}

const REFUSAL = (source: string) => `${source}: ml/demand-forecast: has no entry, but dist/ml.demand-forecast.yaml gives v2 10% on rule "default": ` +
  `the release v1 → v2 was under way, and without its entry it would restart at step 0 (all to v1); restore the entry (e.g. git checkout -- ${source})`;

describe('a release recorded in dist/ but not in the releases file', () => {
  test('a deleted releases.yaml is refused: synth writes nothing instead of restarting the release at step 0', () => {
    const before = files();
    expect(synth()).toEqual([REFUSAL('releases.yaml')]);
    expect(files()).toEqual(before);
  });

  test('so is a deleted entry, the other entries kept', () => {
    writeFileSync(join(work, 'releases.yaml'), '# all releases\n');
    expect(synth()).toEqual([REFUSAL('releases.yaml')]);
  });

  test('no entry is fine where dist/ gives the candidate nothing (not started, rolled back) or there is no dist/ yet', () => {
    const route = 'route:\n        - destination:\n            host: demand-forecast\n            subset: v1\n          weight: 90\n        - destination:\n            host: demand-forecast\n            subset: v2\n          weight: 10\n';
    const file = join(work, 'dist/ml.demand-forecast.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(route, 'route:\n        - destination:\n            host: demand-forecast\n            subset: v1\n'));
    expect(synth()).toEqual([]);
    rmSync(join(work, 'dist'), { recursive: true });
    expect(synth()).toEqual([]);
  });
});
