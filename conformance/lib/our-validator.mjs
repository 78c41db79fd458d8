// Our validator: the "ours" column of the differential corpus. By default the
// project's CLI through scripts/validate.mjs, which first rebuilds .build/ when
// the sources changed. Exit 0 accepts, 1 rejects; anything else (2: usage or
// input error) means it could not judge the case, and fails the run. It must
// never be skipped silently: a command that cannot run is a harness failure.
import fs from 'node:fs';
import path from 'node:path';
import { HarnessError } from './harness-error.mjs';
import { rel } from './log.mjs';
import { REPO_ROOT } from './paths.mjs';
import { run } from './processes.mjs';
import { which } from './which.mjs';

const DEFAULT_COMMAND = [process.execPath, path.join(REPO_ROOT, 'scripts', 'validate.mjs')];

/**
 * The argv of the `--ours` command (default: node scripts/validate.mjs). Throws
 * when its program or a file it names does not exist: `node missing.js` would
 * exit 1, which reads as "reject".
 */
export function resolveOurValidator(command) {
  const argv = command === undefined ? DEFAULT_COMMAND : splitCommand(command);
  if (!argv.length) throw new HarnessError('--ours is empty');
  const missing = [];
  // Paths are taken relative to the current directory, else to the repo root,
  // so that e.g. `--ours "node .build/validate.js"` works from anywhere.
  const resolved = argv.map((arg, i) => {
    if (!looksLikePath(arg)) {
      if (i === 0 && !which(arg)) missing.push(arg);
      return arg;
    }
    if (path.isAbsolute(arg)) {
      if (!fs.existsSync(arg)) missing.push(arg);
      return arg;
    }
    const found = [path.resolve(arg), path.join(REPO_ROOT, arg)].find((p) => fs.existsSync(p));
    if (!found) missing.push(path.join(REPO_ROOT, arg));
    return found ?? arg;
  });
  if (missing.length) {
    const shown = command ?? `node ${rel(DEFAULT_COMMAND[1])}`;
    throw new HarnessError(`our validator cannot run: ${missing.map(rel).join(', ')} not found (--ours "${shown}")`);
  }
  // Our own CLI judges every case in one run (see runOurValidatorOnAll); a custom command, case by case.
  resolved.batch = command === undefined;
  return resolved;
}

/** Runs our validator on one case; { verdict: 'accept' | 'reject' | 'error', exitCode, output }. */
export async function runOurValidator(argv, file) {
  const [cmd, ...args] = argv;
  const r = await run(cmd, [...args, file], { cwd: REPO_ROOT, env: process.env, name: 'ours' });
  const verdict = r.code === 0 ? 'accept' : r.code === 1 ? 'reject' : 'error';
  return { verdict, exitCode: r.code, output: r.stderr || r.stdout };
}

/**
 * Runs our CLI once over every case with --each-file (each file validated on
 * its own, as if run alone) and --output json: one Node start-up instead of
 * one per case. Returns one { verdict, exitCode, output } per file, like
 * runOurValidator. exitCode is the file's own: 0 accept, 1 reject, 2 unreadable.
 */
export async function runOurValidatorOnAll(argv, files) {
  const [cmd, ...args] = argv;
  const r = await run(cmd, [...args, '--each-file', '--output', 'json', ...files], { cwd: REPO_ROOT, env: process.env, name: 'ours' });
  let report;
  try {
    report = JSON.parse(r.stdout);
  } catch {
    throw new HarnessError(`our validator gave no JSON report (exit ${r.code}): ${(r.stderr || r.stdout).trim().split('\n')[0]}`);
  }
  const results = new Map(report.fileResults.map((f) => [path.resolve(REPO_ROOT, f.file), f]));
  return files.map((file) => {
    const result = results.get(path.resolve(REPO_ROOT, file));
    if (!result) return { verdict: 'error', exitCode: 2, output: `no result for ${rel(file)} in the report` };
    if (!result.readable) {
      return { verdict: 'error', exitCode: 2, output: report.inputErrors.find((e) => e.startsWith(`${result.file}:`)) ?? 'unreadable' };
    }
    const firstError = report.diagnostics.find((d) => d.file === result.file && d.severity === 'error');
    return result.errors
      ? { verdict: 'reject', exitCode: 1, output: `${firstError.path}: ${firstError.message}` }
      : { verdict: 'accept', exitCode: 0, output: '' };
  });
}

const looksLikePath = (arg) => !arg.startsWith('-') && (arg.includes('/') || /\.(c|m)?[jt]s$/.test(arg));

/** Shell-like splitting: "double" (with \ escapes) and 'single' quotes group words. */
function splitCommand(command) {
  const words = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  let m;
  while ((m = re.exec(command))) words.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? m[3]));
  return words;
}
