// Console output: plain lines, "[conformance]" progress lines, and formatting helpers.
import path from 'node:path';

export const log = (msg = '') => console.log(msg);
export const info = (msg) => console.log(`[conformance] ${msg}`);

export const indent = (text, pad = '    ') =>
  String(text)
    .trimEnd()
    .split('\n')
    .map((line) => pad + line)
    .join('\n');

/** A path relative to the current directory when it is inside it, else absolute. */
export const rel = (p) => {
  const relative = path.relative(process.cwd(), p);
  return relative && !relative.startsWith('..') ? relative : p;
};

export const secs = (ms) => `${(ms / 1000).toFixed(1)}s`;
