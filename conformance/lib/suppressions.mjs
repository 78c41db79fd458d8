// analyze-suppressions.yaml: istioctl analyze messages that are not problems.
// Applied here rather than with istioctl's --suppress, which matches only code
// and resource and so cannot tell one IST0101 message from another.
import fs from 'node:fs';
import { HarnessError } from './harness-error.mjs';
import { rel } from './log.mjs';
import YAML from './yaml.mjs';

/** A glob with '*' only, anchored, matching across newlines. */
function globToRegExp(glob) {
  return new RegExp(`^${glob.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
}

/** The entries of `file` (none when the default file is absent), each with `matches(message)` and a `used` count. */
export function loadSuppressions(file, explicit) {
  if (!fs.existsSync(file)) {
    if (explicit) throw new HarnessError(`suppressions file ${rel(file)} not found`);
    return [];
  }
  const data = YAML.parse(fs.readFileSync(file, 'utf8')) ?? {};
  const list = data.suppressions ?? [];
  if (!Array.isArray(list)) throw new HarnessError(`${rel(file)}: "suppressions" must be a list`);
  return list.map((entry, i) => {
    const where = `${rel(file)} entry #${i + 1}`;
    if (!entry || typeof entry !== 'object') throw new HarnessError(`${where}: must be a mapping`);
    for (const key of ['code', 'resource', 'reason']) {
      if (typeof entry[key] !== 'string' || !entry[key].trim()) throw new HarnessError(`${where}: "${key}" is required`);
    }
    const resource = globToRegExp(entry.resource);
    const message = entry.message === undefined ? null : globToRegExp(String(entry.message));
    return {
      ...entry,
      used: 0,
      matches: (m) => m.code === entry.code && resource.test(m.origin ?? '') && (!message || message.test(m.message ?? '')),
    };
  });
}

/** Splits analyze messages into those kept and the number suppressed; counts each entry's uses. */
export function applySuppressions(messages, suppressions) {
  const kept = [];
  let suppressed = 0;
  for (const m of messages) {
    const entry = suppressions.find((s) => s.matches(m));
    if (entry) {
      entry.used++;
      suppressed++;
    } else kept.push(m);
  }
  return { kept, suppressed };
}
