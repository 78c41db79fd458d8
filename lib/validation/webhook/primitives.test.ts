import { parseGoDuration } from './duration';
import { childPath, parsePath } from '../core/field-path';
import { goShortest } from '../core/go-format';
import { re2CompileError } from './regex';

test.each([
  ['1h30m', 5_400_000_000_000n],
  ['1.5s', 1_500_000_000n],
  ['.5ms', 500_000n],
  ['-1s', -1_000_000_000n],
  ['0', 0n],
  ['1µs', 1_000n],
])('Go duration %s', (text, nanos) => {
  expect(parseGoDuration(text)).toBe(nanos);
});

test.each(['10', '1d', '', 's', '1.s5'])('not a Go duration: %j', (text) => {
  expect(parseGoDuration(text)).toBeUndefined();
});

test.each([
  [0.00001, '1e-05'],
  [1000000, '1e+06'],
  [150, '150'],
  [0.5, '0.5'],
])('Go %%v of %d', (value, text) => {
  expect(goShortest(value)).toBe(text);
});

test.each(['(?i)^/v\\d+/', '(?P<family>llama)-\\d+', '(?<name>x)', '\\p{Greek}+', '^/api/.*$'])('RE2 accepts %s', (pattern) => {
  expect(re2CompileError(pattern)).toBeUndefined();
});

test.each([
  ['(?<!a)b', 'error parsing regexp: invalid named capture: `(?<!a)b`'],
  ['x{1001}', 'error parsing regexp: invalid repeat count: `{1001}`'],
])('RE2 (re2js) rejects %s', (pattern, message) => {
  expect(re2CompileError(pattern)).toBe(message);
});

test('field paths round-trip, quoting keys that are not plain names', () => {
  const path = childPath(childPath(childPath(childPath('spec.http', 0), 'match'), 1), 'x-user.id');
  expect(path).toBe('spec.http[0].match[1]["x-user.id"]');
  expect(parsePath(path)).toEqual(['spec', 'http', 0, 'match', 1, 'x-user.id']);
});
