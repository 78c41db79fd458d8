/**
 * The file (and git revision) each parsed YAML document came from, so that
 * an answer can name where the object that gave it is written. Documents
 * are keyed by identity: the model reads the same objects it was given.
 */
const sources = new WeakMap<object, string>();

export function recordSource(document: unknown, source: string): void {
  if (typeof document === 'object' && document !== null) sources.set(document, source);
}

/** `dist/ml.yaml`, or `dist/ml.yaml (main)` for a revision; undefined for an object built in code. */
export function sourceOf(document: unknown): string | undefined {
  return typeof document === 'object' && document !== null ? sources.get(document) : undefined;
}
