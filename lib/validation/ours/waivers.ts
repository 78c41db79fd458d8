/**
 * An object may opt out of our stricter rules, never of Istio's, by naming
 * them in this annotation (comma-separated rule ids). The decision then sits
 * in the YAML where reviewers see it, and synth and `validate` agree on it.
 */
export const WAIVER_ANNOTATION = 'ml-mesh-routing/waive';

export function waivedRules(metadata: unknown): ReadonlySet<string> {
  const value = (metadata as { annotations?: Record<string, unknown> } | undefined)?.annotations?.[WAIVER_ANNOTATION];
  if (typeof value !== 'string') return new Set();
  return new Set(value.split(',').map((rule) => rule.trim()).filter((rule) => rule.startsWith('ours.')));
}
