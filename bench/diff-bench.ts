import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runVariant } from './variants';

export interface DiffMeasurement {
  readonly size: number;
  readonly seconds: number;
  readonly rssMb: number;
  /** The diff's first line: its summary. */
  readonly summary: string;
}

const DIFF_SCRIPT = resolve(__dirname, '..', 'scripts', 'diff.mjs');

/** The fleet's first service is a 80/15/5 canary: this moves 10% of /predict from v1 to v2. */
const CHANGED_FILE = 'dist/team-0.model-0.yaml';

/**
 * `npm run diff` between two revisions of an N-service fleet with one service
 * changed: synthesizes the fleet into a git repository in `dir`, commits it,
 * changes one service in the working tree, then times `node scripts/diff.mjs
 * --base HEAD` there (the whole command: Node start-up, git, parsing both
 * revisions, the diff). npm's own start-up (about 0.2 s) is not included.
 */
export function measureDiff(size: number, dir: string): DiffMeasurement {
  runVariant('ours', size, dir);
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: dir });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'fleet');
  const file = join(dir, CHANGED_FILE);
  writeFileSync(file, readFileSync(file, 'utf8').replace('weight: 80', 'weight: 70').replace('weight: 15', 'weight: 25'));
  const start = process.hrtime.bigint();
  const child = spawnSync(process.execPath, [DIFF_SCRIPT, '--base', 'HEAD'], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (child.status !== 0) throw new Error(`npm run diff exited with ${child.status}: ${child.stderr}`);
  return { size, seconds, rssMb: process.resourceUsage().maxRSS / 1024, summary: child.stdout.split('\n')[0] };
}
