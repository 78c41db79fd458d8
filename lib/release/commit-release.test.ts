import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commitRelease } from './commit-release';

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'commit-release-'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

describe('commitRelease', () => {
  test('writes the positions file and the output directory', () => {
    commitRelease(join(work, 'releases.yaml'), { previous: undefined, next: 'new\n' }, join(work, 'dist'), new Map([['ml.m.yaml', 'routes\n']]));
    expect([readFileSync(join(work, 'releases.yaml'), 'utf8'), readFileSync(join(work, 'dist/ml.m.yaml'), 'utf8')]).toEqual(['new\n', 'routes\n']);
  });

  test('restores the positions file when the output cannot be written, so the two never disagree', () => {
    // GIVEN an output directory that cannot be created (its parent is a file)
    writeFileSync(join(work, 'releases.yaml'), 'old\n');
    writeFileSync(join(work, 'blocker'), '');
    expect(() => commitRelease(join(work, 'releases.yaml'), { previous: 'old\n', next: 'new\n' }, join(work, 'blocker/dist'), new Map([['m.yaml', 'x']]))).toThrow(/EEXIST/);
    expect(readFileSync(join(work, 'releases.yaml'), 'utf8')).toBe('old\n');
  });

  test('removes a positions file it created when the output cannot be written', () => {
    writeFileSync(join(work, 'blocker'), '');
    expect(() => commitRelease(join(work, 'releases.yaml'), { previous: undefined, next: 'new\n' }, join(work, 'blocker/dist'), new Map([['m.yaml', 'x']]))).toThrow(/EEXIST/);
    expect(existsSync(join(work, 'releases.yaml'))).toBe(false);
  });
});
