/**
 * `compute`, remembered by its text argument: a fleet repeats a few values
 * ('5s', one retryOn list) thousands of times. At most `max` texts are kept
 * (then it starts over), so memory stays bounded whatever the input.
 */
export function rememberedByText<T>(compute: (text: string) => T, max = 10_000): (text: string) => T {
  const known = new Map<string, T>();
  return (text) => {
    if (known.has(text)) return known.get(text) as T;
    const value = compute(text);
    if (known.size >= max) known.clear();
    known.set(text, value);
    return value;
  };
}
