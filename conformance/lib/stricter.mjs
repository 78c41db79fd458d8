// stricter.yaml: corpus cases Istio accepts and we reject on purpose, each with a reason.
import fs from 'node:fs';
import path from 'node:path';
import { HarnessError } from './harness-error.mjs';
import { rel } from './log.mjs';
import YAML from './yaml.mjs';

/** Case id (path relative to the corpus dir) -> entry with `seen: false` (none when the default file is absent). */
export function loadStricter(file, explicit) {
  if (!fs.existsSync(file)) {
    if (explicit) throw new HarnessError(`stricter file ${rel(file)} not found`);
    return new Map();
  }
  const data = YAML.parse(fs.readFileSync(file, 'utf8')) ?? {};
  const list = data.stricter ?? [];
  if (!Array.isArray(list)) throw new HarnessError(`${rel(file)}: "stricter" must be a list`);
  const byCase = new Map();
  list.forEach((entry, i) => {
    const where = `${rel(file)} entry #${i + 1}`;
    if (!entry || typeof entry.file !== 'string' || !entry.file.trim()) throw new HarnessError(`${where}: "file" is required`);
    if (typeof entry.reason !== 'string' || !entry.reason.trim()) throw new HarnessError(`${where} (${entry.file}): "reason" is required`);
    byCase.set(path.normalize(entry.file), { ...entry, seen: false });
  });
  return byCase;
}
