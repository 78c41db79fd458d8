import { execFileSync } from 'node:child_process';
import { UserError } from '../../errors';

/** Runs git in `cwd`; a failure is the user's (not a repository, no such revision), reported with git's own words. */
export function git(cwd: string, args: readonly string[], input?: string, emptyOnExit: readonly number[] = []): Buffer {
  try {
    return execFileSync('git', [...args], { cwd, input, maxBuffer: 1 << 30, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (error) {
    const e = error as { code?: string; status?: number; stderr?: Buffer };
    if (e.status !== undefined && emptyOnExit.includes(e.status)) return Buffer.alloc(0);
    if (e.code === 'ENOENT') throw new UserError('git is not installed (npm run diff reads the base revision with git)');
    throw new UserError(`git ${args.slice(0, 2).join(' ')} failed: ${(e.stderr?.toString() ?? '').trim() || 'no message'}`);
  }
}

/** The commit a ref names, or a UserError naming the ref. */
export function resolveCommit(cwd: string, ref: string): string {
  if (ref.startsWith('-')) throw new UserError(`--base ${ref}: not a git revision`);
  try {
    return execFileSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd, stdio: ['ignore', 'pipe', 'pipe'] }).toString().trim();
  } catch {
    insideRepository(cwd);
    throw new UserError(`--base ${ref}: no such commit in this repository`);
  }
}

/** The repository's top folder: git's paths are relative to it. */
export function topLevel(cwd: string): string {
  insideRepository(cwd);
  return git(cwd, ['rev-parse', '--show-toplevel']).toString().trim();
}

/** The default base: the merge base with origin/main when that branch exists, else HEAD. */
export function defaultBase(cwd: string): string {
  insideRepository(cwd);
  const hasOriginMain = tryGit(cwd, ['rev-parse', '--verify', '--quiet', 'origin/main^{commit}']) !== undefined;
  if (hasOriginMain) {
    const base = tryGit(cwd, ['merge-base', 'origin/main', 'HEAD']);
    if (base) return base;
  }
  return 'HEAD';
}

function insideRepository(cwd: string): void {
  if (tryGit(cwd, ['rev-parse', '--git-dir']) === undefined) throw new UserError(`${cwd} is not inside a git repository (npm run diff compares with a git revision)`);
}

function tryGit(cwd: string, args: readonly string[]): string | undefined {
  try {
    return execFileSync('git', [...args], { cwd, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return undefined;
  }
}
