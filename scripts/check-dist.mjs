// Fails with a readable diff when dist/ differs from what the code synthesizes.
// Synthesizes into a temporary directory; never touches dist/.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { buildIfStale } from './build.mjs';

const root = resolve(import.meta.dirname, '..');
const dist = resolve(root, 'dist');

function listFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

buildIfStale();
const scratch = mkdtempSync(join(tmpdir(), 'check-dist-'));
try {
  const fresh = join(scratch, 'dist');
  // --strict: in CI, warnings fail too.
  createRequire(import.meta.url)(resolve(root, '.build/main.js')).main(['node', 'synth', '--strict', '--outdir', fresh]);
  if (process.exitCode) {
    console.error('check:dist: the app does not synthesize (see above)');
    process.exit(1);
  }
  const expected = new Map(listFiles(fresh).map((f) => [relative(fresh, f), readFileSync(f, 'utf8')]));
  const actual = new Map(listFiles(dist).map((f) => [relative(dist, f), readFileSync(f, 'utf8')]));
  const names = [...new Set([...expected.keys(), ...actual.keys()])].sort();
  let drift = 0;
  for (const name of names) {
    const want = expected.get(name);
    const have = actual.get(name);
    if (want === have) continue;
    drift++;
    if (have === undefined) console.error(`missing from dist/: ${name}`);
    else if (want === undefined) console.error(`in dist/ but no longer synthesized: ${name}`);
    process.stderr.write(createTwoFilesPatch(`dist/${name} (committed)`, `dist/${name} (synthesized)`, have ?? '', want ?? ''));
  }
  if (drift) {
    console.error(`check:dist: ${drift} file(s) in dist/ differ from what the code synthesizes; run \`npm run synth\` and commit dist/`);
    process.exit(1);
  }
  console.log(`check:dist: dist/ matches the code (${names.length} files)`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
