// Phase "workflows": the GitHub Actions workflows users copy (.github/workflows)
// must pass actionlint, built from the pinned module in tools/actionlint.
import fs from 'node:fs';
import path from 'node:path';
import { indent, info, rel } from './log.mjs';
import { REPO_ROOT } from './paths.mjs';
import { run } from './processes.mjs';

export const WORKFLOWS_DIR = path.join(REPO_ROOT, '.github', 'workflows');

export async function checkWorkflows({ actionlint, summary }) {
  const files = fs.existsSync(WORKFLOWS_DIR)
    ? fs.readdirSync(WORKFLOWS_DIR).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => path.join(WORKFLOWS_DIR, f))
    : [];
  if (!files.length) {
    summary.failures.push(`workflows: no workflow found under ${rel(WORKFLOWS_DIR)}`);
    return;
  }
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
