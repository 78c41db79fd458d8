import { childPath } from '../core/field-path';
import type { Findings } from '../core/finding';

/**
 * consistentHash.httpCookie.attributes (catalogue rule 43, "Cookie attributes need non-empty, unique
 * names"). Wording from istioctl 1.30: `cookie attribute name cannot be empty` and
 * `duplicate cookie attribute name: a` (once per repeat). Values and name characters are not checked.
 */
export function checkCookieAttributes(attributes: unknown, path: string, findings: Findings): void {
  if (!Array.isArray(attributes)) return;
  const seen = new Set<string>();
  attributes.forEach((attribute: any, index: number) => {
    const at = childPath(childPath(path, index), 'name');
    const name = String(attribute?.name ?? '');
    if (name === '') return findings.error('dr.cookie-attributes', at, 'cookie attribute name cannot be empty');
    if (seen.has(name)) findings.error('dr.cookie-attributes', at, `duplicate cookie attribute name: ${name}`);
    seen.add(name);
  });
}
