import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** How a folder of generated Markdown differs from what it should hold. */
export interface Drift {
  readonly missing: readonly string[];
  readonly stale: readonly string[];
  readonly different: readonly string[];
}

export function driftOf(dir: string, expected: ReadonlyMap<string, string>): Drift {
  const present = listMarkdown(dir);
  return {
    missing: [...expected.keys()].filter((p) => !present.includes(p)),
    stale: present.filter((p) => !expected.has(p)),
    different: present.filter((p) => expected.has(p) && readFileSync(join(dir, p), 'utf8') !== expected.get(p)),
  };
}

export function hasDrift(drift: Drift): boolean {
  return drift.missing.length + drift.stale.length + drift.different.length > 0;
}

/** Writes what differs and deletes Markdown files no service generates any more; returns how many files changed. */
export function syncFiles(dir: string, expected: ReadonlyMap<string, string>): number {
  const drift = driftOf(dir, expected);
  for (const path of [...drift.missing, ...drift.different]) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), expected.get(path)!);
  }
  for (const path of drift.stale) rmSync(join(dir, path));
  return drift.missing.length + drift.different.length + drift.stale.length;
}

function listMarkdown(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.md')) out.push(relative(dir, path).split('\\').join('/'));
    }
  };
  walk(dir);
  return out.sort();
}
