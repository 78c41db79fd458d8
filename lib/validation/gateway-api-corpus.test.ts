import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseYamlSource } from './cli/yaml-source';
import { validateObjects } from './validate-objects';

/**
 * test/corpus/gateway-api/<channel>/{valid,invalid}: one case per file, the folder is the API server's verdict
 * with that channel's CRDs installed (checked by the conformance harness against a real API server). Here our
 * validator, told the channel (and that istiod has the InferencePool feature flag on), must reach the same verdict and report each invalid case's `# expect:` lines.
 */
const corpus = resolve(__dirname, '..', '..', 'test', 'corpus', 'gateway-api');

function casesIn(channel: string, folder: string): [string, string][] {
  const dir = join(corpus, channel, folder);
  return readdirSync(dir).filter((name) => name.endsWith('.yaml')).sort().map((name) => [name, readFileSync(join(dir, name), 'utf8')]);
}

function errors(text: string, channel: 'standard' | 'experimental'): string[] {
  const parsed = parseYamlSource(text);
  expect(parsed.syntaxError).toBeUndefined();
  return validateObjects(parsed.documents.map((doc) => doc.value), { gatewayApiChannel: channel, inferenceExtension: true, context: [] })
    .filter((d) => d.severity === 'error')
    .map((d) => `${d.path}: ${d.message}`);
}

describe.each(['standard', 'experimental'] as const)('gateway-api corpus, %s channel', (channel) => {
  test.each(casesIn(channel, 'valid'))('valid/%s: no error', (_name, text) => {
    expect(errors(text, channel)).toEqual([]);
  });

  test.each(casesIn(channel, 'invalid'))('invalid/%s: the expected errors', (_name, text) => {
    const expected = [...text.matchAll(/^# expect: (.*)$/gm)].map((m) => m[1]);
    expect(expected.length).toBeGreaterThan(0);
    expect(errors(text, channel).sort()).toEqual(expected.sort());
  });
});
