// Phase "workflows": the GitHub Actions workflows users copy (.github/workflows)
// and the one `ml-routing init` writes (templates/gitops-repo/github/workflows)
// must pass actionlint, built from the pinned module in tools/actionlint.
import fs from 'node:fs';
import path from 'node:path';
import { indent, info, rel } from './log.mjs';
import { REPO_ROOT } from './paths.mjs';
import { run } from './processes.mjs';

export const WORKFLOWS_DIR = path.join(REPO_ROOT, '.github', 'workflows');
const INIT_WORKFLOWS_DIR = path.join(REPO_ROOT, 'templates', 'gitops-repo', 'github', 'workflows');

const workflowsIn = (dir) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => path.join(dir, f)) : []);

export async function checkWorkflows({ actionlint, summary }) {
  const files = workflowsIn(WORKFLOWS_DIR);
  if (!files.length) {
    summary.failures.push(`workflows: no workflow found under ${rel(WORKFLOWS_DIR)}`);
    return;
  }
  files.push(...workflowsIn(INIT_WORKFLOWS_DIR));
  // -shellcheck= -pyflakes=: lint with actionlint's own rules only, whatever is installed here.
  const r = await run(actionlint, ['-no-color', '-shellcheck=', '-pyflakes=', ...files], { cwd: REPO_ROOT, name: 'actionlint' });
  const names = files.map(rel).join(', ');
  if (r.code === 0) {
    info(`  ok: ${names}`);
    summary.passed.push(`actionlint (${files.length} workflow${files.length === 1 ? '' : 's'})`);
    return;
  }
  const text = (r.stdout + r.stderr).trim();
  summary.failures.push(`workflows: actionlint found problems in ${names}:\n${indent(text)}`);
}
