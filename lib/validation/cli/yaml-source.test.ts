import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseYamlSource, parseYamlSourceWithPositions } from './yaml-source';

const repo = resolve(__dirname, '..', '..', '..');
const istioRoot = resolve(repo, '..', 'shared', 'istio', '1.30.3');

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? yamlFiles(join(dir, entry.name)) : /\.ya?ml$/.test(entry.name) ? [join(dir, entry.name)] : []))
    .sort();
}

/** Every field path of a value, for asking both parsers the line of each. */
function paths(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [`${prefix}[${i}]`, v] as const) : Object.entries(value).map(([k, v]) => [prefix ? `${prefix}.${k}` : k, v] as const);
  return [prefix, ...entries.flatMap(([path, v]) => paths(v, path))].filter((p) => p !== '' && !/[ ."[\]]/.test(p.split('.').pop()!.replace(/\[\d+\]$/, '')));
}

/** Our corpus, dist/ and Istio's own samples and test configs: the fast path must give the same values and lines. */
const files = [...yamlFiles(join(repo, 'test', 'corpus')), ...yamlFiles(join(repo, 'dist')), ...yamlFiles(join(istioRoot, 'samples')), ...yamlFiles(join(istioRoot, 'tests'))];

test.each(files.map((f) => [relative(repo, f), f]))('%s: same values, document lines and field lines', (_name, file) => {
  const text = readFileSync(file, 'utf8');
  const reference = parseYamlSourceWithPositions(text);
  const fast = parseYamlSource(text);
  expect(fast.syntaxError).toEqual(reference.syntaxError);
  expect(fast.documents.map((d) => d.value)).toEqual(reference.documents.map((d) => d.value));
  expect(fast.documents.map((d) => d.line)).toEqual(reference.documents.map((d) => d.line));
  fast.documents.forEach((doc, i) => {
    for (const path of paths(doc.value).slice(0, 200)) expect([path, doc.lineOf(path)]).toEqual([path, reference.documents[i].lineOf(path)]);
  });
});

test('documents split at --- and ..., comments and empty documents skipped, lines from the file', () => {
  const text = '# header\n---\na: 1\n...\n---\n# only a comment\n---\nb:\n  c: [1, 2]\n--- {d: 3}\n';
  const parsed = parseYamlSource(text);
  expect(parsed.documents.map((d) => [d.value, d.line])).toEqual([[{ a: 1 }, 3], [{ b: { c: [1, 2] } }, 8], [{ d: 3 }, 10]]);
  expect(parsed.documents[1].lineOf('b.c[1]')).toBe(9);
});

test('anchors, and YAML js-yaml rejects, take the full parser: its error wording and line', () => {
  expect(parseYamlSource('a: &x {b: 1}\nc: *x\n').documents.map((d) => d.value)).toEqual([{ a: { b: 1 }, c: { b: 1 } }]);
  expect(parseYamlSource('a: 1\na: 2\n').syntaxError).toEqual({ line: 2, message: 'Map keys must be unique' });
});

test("scalars as kubectl reads them (YAML 1.1's booleans), on both paths; quoted ones stay strings", () => {
  const text = 'a: on\nb: "on"\nc: yes\nd: y\ne: True\nf: Off\ng: n\nh: NO\ni: onion\nj: 2024-01-01\n';
  const expected = { a: true, b: 'on', c: true, d: true, e: true, f: false, g: false, h: false, i: 'onion', j: '2024-01-01' };
  expect(parseYamlSource(text).documents.map((d) => d.value)).toEqual([expected]);
  expect(parseYamlSourceWithPositions(text).documents.map((d) => d.value)).toEqual([expected]);
  expect(parseYamlSource(`x: &a 1\n${text}`).documents.map((d) => d.value)).toEqual([{ x: 1, ...expected }]);
});
