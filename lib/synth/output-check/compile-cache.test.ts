import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { CACHE_SUFFIX } from './compile-cache';

// Each load runs in a process of its own, as each synth's worker does: V8
// keeps code it compiled in memory, so a second load in one process would
// not read the cache at all.
let loaderDir: string;
let loader: string;
let dir: string;
beforeAll(() => {
  loaderDir = mkdtempSync(join(tmpdir(), 'compile-cache-loader-'));
  loader = join(loaderDir, 'compile-cache.js');
  buildSync({ entryPoints: [join(__dirname, 'compile-cache.ts')], outfile: loader, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning' });
});
afterAll(() => rmSync(loaderDir, { recursive: true, force: true }));
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'compile-cache-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const caches = () => readdirSync(dir).filter((name) => name.endsWith(CACHE_SUFFIX)).sort();

function bundle(name: string, source: string): string {
  const file = join(dir, name);
  writeFileSync(file, source);
  return file;
}

/**
 * Loads `file` in a new process, then saves its cache unless told not to,
 * and says what it got. The command line stays the same from call to call
 * (what to do is in the environment): Node's flags name the cache.
 */
function load(file: string, then: 'save' | 'remove folder, then save' | 'nothing' = 'save', nodeFlags: string[] = []): { cache: string; exports: unknown } {
  const script = `
    const then = process.env.THEN;
    const loaded = require(${JSON.stringify(loader)}).requireWithCompileCache(process.env.FILE);
    if (then === 'remove folder, then save') require('node:fs').rmSync(require('node:path').dirname(process.env.FILE), { recursive: true });
    if (then !== 'nothing') loaded.save();
    process.stdout.write(JSON.stringify({ cache: loaded.cache, exports: loaded.exports }));`;
  return JSON.parse(execFileSync(process.execPath, [...nodeFlags, '-e', script], { encoding: 'utf8', env: { ...process.env, FILE: file, THEN: then } }));
}

describe('requireWithCompileCache', () => {
  test('runs a CommonJS file as require does: its exports, its own paths, require and module.require beside it', () => {
    bundle('helper.js', 'module.exports = 41;');
    const file = bundle('main.js', 'exports.answer = require("./helper.js") + 1; exports.also = module.require("./helper.js"); exports.where = [__filename, __dirname];');
    expect(load(file).exports).toEqual({ answer: 42, also: 41, where: [file, dir] });
  });

  test('keeps line numbers: an error names the line of the file it comes from', () => {
    const file = bundle('failing.js', '"use strict";\n\nthrow new Error("on line 3");\n');
    expect(() => execFileSync(process.execPath, ['-e', `require(${JSON.stringify(loader)}).requireWithCompileCache(${JSON.stringify(file)})`], { stdio: 'pipe', encoding: 'utf8' }))
      .toThrow(expect.objectContaining({ stderr: expect.stringContaining(`${file}:3`) }));
  });

  test('compiles from the source until saved, then from the cache, which is never written again', () => {
    const file = bundle('code.js', 'exports.twice = [1, 2, 3].map((n) => 2 * n);');
    expect(load(file, 'nothing')).toEqual({ cache: 'none', exports: { twice: [2, 4, 6] } });
    expect(caches()).toEqual([]);
    expect(load(file)).toEqual({ cache: 'none', exports: { twice: [2, 4, 6] } });
    expect(caches()).toEqual([expect.stringMatching(/^code\.js\.[0-9a-f]{16}\.v8-cache$/)]);
    const saved = join(dir, caches()[0]);
    const savedAt = statSync(saved).mtimeMs;
    expect(load(file)).toEqual({ cache: 'used', exports: { twice: [2, 4, 6] } });
    expect(statSync(saved).mtimeMs).toBe(savedAt);
  });

  test('a cache is only used for the exact content it was made from', () => {
    const file = bundle('code.js', 'exports.value = "a";');
    load(file);
    // Same length: V8 alone would take the old code for it.
    bundle('code.js', 'exports.value = "b";');
    expect(load(file, 'nothing')).toEqual({ cache: 'none', exports: { value: 'b' } });
  });

  test('Node run with other flags keeps a cache of its own: V8 would reject the other, and the two would replace each other', () => {
    const file = bundle('code.js', 'exports.value = 1;');
    load(file);
    const flags = ['--max-semi-space-size=64'];
    expect(load(file, 'save', flags)).toEqual({ cache: 'none', exports: { value: 1 } });
    expect(caches()).toHaveLength(2);
    expect(load(file, 'nothing', flags).cache).toBe('used');
    expect(load(file, 'nothing').cache).toBe('used');
  });

  test('dynamic import() in the bundle works as in a module Node loaded', async () => {
    bundle('imported.mjs', 'export const value = 7;');
    const file = bundle('code.js', 'exports.later = import("./imported.mjs").then((m) => m.value);');
    const script = `require(${JSON.stringify(loader)}).requireWithCompileCache(${JSON.stringify(file)}).exports.later.then((v) => process.stdout.write(String(v)));`;
    expect(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })).toBe('7');
  });

  test('a damaged cache is rejected by V8 and replaced: the code runs from its source meanwhile', () => {
    const file = bundle('code.js', 'exports.value = 1;');
    load(file);
    writeFileSync(join(dir, caches()[0]), 'not V8 code');
    expect(load(file)).toEqual({ cache: 'rejected', exports: { value: 1 } });
    expect(load(file)).toEqual({ cache: 'used', exports: { value: 1 } });
  });

  test('a cache that cannot be written is skipped quietly', () => {
    const file = bundle('code.js', 'exports.value = 1;');
    expect(load(file, 'remove folder, then save')).toEqual({ cache: 'none', exports: { value: 1 } });
  });
});
