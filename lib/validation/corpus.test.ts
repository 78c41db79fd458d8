import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { istioctlAnalyzeLine } from './cli/report';
import { validateFiles } from './cli/validate-files';
import { validateObjects } from './validate-objects';
import { parseYamlSource } from './cli/yaml-source';

/**
 * test/corpus/{valid,invalid}: one case per file, the folder is Istio's verdict (API server + webhook).
 * The conformance harness checks the same files against real istioctl and kube-apiserver; here our
 * 'istio' profile must reach the same verdict, and invalid files must report their `# expect:` lines.
 */
const corpus = resolve(__dirname, '..', '..', 'test', 'corpus');

function casesIn(folder: string): [string, string][] {
  const dir = join(corpus, folder);
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => [name, readFileSync(join(dir, name), 'utf8')]);
}

function diagnose(text: string) {
  const parsed = parseYamlSource(text);
  expect(parsed.syntaxError).toBeUndefined();
  return validateObjects(parsed.documents.map((doc) => doc.value), { profile: 'istio', context: [] });
}

/**
 * `# expect: <path>: <message>` lines; a message that spans lines (Istio has a few, e.g. "UriRegexRewrite
 * has errors\n...") continues on `# expect+: <next line>` lines.
 */
function expectedLines(text: string): string[] {
  const expected: string[] = [];
  for (const m of text.matchAll(/^# expect(\+?): (.*)$/gm)) {
    if (m[1] === '+' && expected.length > 0) expected[expected.length - 1] += `\n${m[2]}`;
    else expected.push(m[2]);
  }
  return expected;
}

describe('valid corpus: Istio accepts these, so we report no error', () => {
  test.each(casesIn('valid'))('%s', (_name, text) => {
    expect(diagnose(text).filter((d) => d.severity === 'error')).toEqual([]);
  });
});

describe('invalid corpus: Istio rejects these, and we report the expected errors', () => {
  test.each(casesIn('invalid'))('%s', (_name, text) => {
    const expected = expectedLines(text);
    expect(expected.length).toBeGreaterThan(0);
    const errors = diagnose(text).filter((d) => d.severity === 'error').map((d) => `${d.path}: ${d.message}`);
    for (const line of expected) expect(errors).toContain(line);
  });
});

/**
 * test/corpus/analyze: sets of objects (routing objects and what they reference); the `# analyze:` lines are
 * what istioctl analyze says about the routing objects (labelled by the conformance harness's istio-analyze),
 * and we must say exactly that.
 */
describe('analyze corpus: we report what istioctl analyze reports about routing objects', () => {
  test.each(casesIn('analyze'))('%s', (name, text) => {
    const expected = [...text.matchAll(/^# analyze: (.*)$/gm)].map((m) => m[1]);
    expect(expected.length).toBeGreaterThan(0);
    const report = validateFiles([join(corpus, 'analyze', name)], { eachFile: true });
    const lines = report.diagnostics
      .filter((d) => d.object.kind === 'VirtualService' || d.object.kind === 'DestinationRule')
      .map(istioctlAnalyzeLine)
      .filter((line): line is string => line !== undefined);
    expect(lines.sort()).toEqual(expected[0] === 'none' ? [] : expected.sort());
  });
});

test('the corpus has at least 85 invalid and 25 valid cases', () => {
  expect(casesIn('invalid').length).toBeGreaterThanOrEqual(85);
  expect(casesIn('valid').length).toBeGreaterThanOrEqual(25);
});
