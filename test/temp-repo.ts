import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..');

/** A throw-away git repository holding a copy of this repository's dist/, committed. */
export class TempRepo {
  public readonly dir = mkdtempSync(join(tmpdir(), 'diff-repo-'));

  public constructor() {
    cpSync(join(root, 'dist'), join(this.dir, 'dist'), { recursive: true });
    this.git('init', '-q', '-b', 'main');
    this.commit('dist as on main');
  }

  public git(...args: string[]): string {
    return execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: this.dir }).toString().trim();
  }

  public commit(message: string): string {
    this.git('add', '-A');
    this.git('commit', '-q', '--allow-empty', '-m', message);
    return this.git('rev-parse', 'HEAD');
  }

  /** Replaces text in a file of the working tree; fails when the text is not there. */
  public edit(path: string, from: string, to: string): void {
    const file = join(this.dir, path);
    const text = readFileSync(file, 'utf8');
    if (!text.includes(from)) throw new Error(`${path} does not contain ${JSON.stringify(from)}`);
    writeFileSync(file, text.split(from).join(to));
  }

  public write(path: string, text: string): void {
    writeFileSync(join(this.dir, path), text);
  }

  public remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
