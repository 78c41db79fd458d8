/**
 * Text inside a quoted Mermaid label: Mermaid reads `#name;` as an entity,
 * and the label is HTML, so `#`, `"`, `<`, `>` and `&` are written as entities.
 */
export function escapeLabel(text: string): string {
  return text.replace(/[#"<>&]/g, (c) => ENTITIES[c]);
}

const ENTITIES: Readonly<Record<string, string>> = { '#': '#35;', '"': '#quot;', '<': '#lt;', '>': '#gt;', '&': '#amp;' };

/** A quoted label of several lines. */
export function label(lines: readonly string[]): string {
  return `"${lines.map(escapeLabel).join('<br/>')}"`;
}
