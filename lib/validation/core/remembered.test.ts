import { rememberedByText } from './remembered';

test('each text is computed once, undefined answers included, and at most `max` texts are kept', () => {
  const computed: string[] = [];
  const lengthOrNothing = rememberedByText((text) => {
    computed.push(text);
    return text === '' ? undefined : text.length;
  }, 2);
  expect([lengthOrNothing('ab'), lengthOrNothing(''), lengthOrNothing('ab'), lengthOrNothing('')]).toEqual([2, undefined, 2, undefined]);
  expect(computed).toEqual(['ab', '']);
  // A third text starts over: the first two are computed again when asked.
  expect(lengthOrNothing('xyz')).toBe(3);
  expect(lengthOrNothing('ab')).toBe(2);
  expect(computed).toEqual(['ab', '', 'xyz', 'ab']);
});
