/**
 * Field paths as shown to users: `spec.http[0].match[1].headers["x-user"]`.
 * Plain names join with '.', indexes use [n], keys that are not plain names are quoted.
 */

export type PathSegment = string | number;

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Field names repeat across every object validated: each is tested once. */
const plainKeys = new Map<string, boolean>();

export function childPath(parent: string, key: PathSegment): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  let plain = plainKeys.get(key);
  if (plain === undefined) plainKeys.set(key, (plain = PLAIN_KEY.test(key)));
  if (plain) return parent === '' ? key : `${parent}.${key}`;
  return `${parent}[${JSON.stringify(key)}]`;
}

export function pathOf(...segments: PathSegment[]): string {
  return segments.reduce<string>((path, segment) => childPath(path, segment), '');
}

const SEGMENT = /\.?([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;

/** Inverse of childPath; used to find the YAML node a diagnostic points at. */
export function parsePath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  SEGMENT.lastIndex = 0;
  while (SEGMENT.lastIndex < path.length) {
    const start = SEGMENT.lastIndex;
    const match = SEGMENT.exec(path);
    if (!match || SEGMENT.lastIndex === start) break;
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
    else segments.push(JSON.parse(match[3]) as string);
  }
  return segments;
}
