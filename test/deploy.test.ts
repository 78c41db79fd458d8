import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { load, loadAll } from 'js-yaml';

const root = join(__dirname, '..');
const read = (path: string): any => load(readFileSync(join(root, path), 'utf8'));

// The files users copy: they must apply dist/, and the PR workflow must post the diff.
describe('deploy/ and the pull request workflow', () => {
  test('dist/ is what `kubectl apply -f dist` applies whole: top-level files of Kubernetes objects only', () => {
    // kubectl reads a directory's top level only (no -R), and refuses a document that is not an object (a kustomization.yaml).
    const entries = readdirSync(join(root, 'dist'));
    expect(entries.filter((name) => statSync(join(root, 'dist', name)).isDirectory())).toEqual([]);
    expect(entries.filter((name) => !/^[a-z0-9-]+\.[a-z0-9-]+\.yaml$/.test(name))).toEqual([]);
    for (const name of entries) {
      for (const object of loadAll(readFileSync(join(root, 'dist', name), 'utf8')) as any[]) {
        expect([name, object.apiVersion, object.kind, object.metadata.name, object.metadata.namespace].every(Boolean)).toBe(true);
        expect(object.kind).not.toBe('Kustomization');
      }
    }
  });

  test('Argo CD applies dist/ with pruning and self-healing', () => {
    const app = read('deploy/argocd/application.yaml');
    expect([app.apiVersion, app.kind]).toEqual(['argoproj.io/v1alpha1', 'Application']);
    expect(app.spec.source.path).toBe('dist');
    expect(app.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
  });

  test('Flux: the Kustomization applies ./dist from the GitRepository it names', () => {
    const source = read('deploy/flux/gitrepository.yaml');
    const kustomization = read('deploy/flux/kustomization.yaml');
    expect([source.apiVersion, source.kind]).toEqual(['source.toolkit.fluxcd.io/v1', 'GitRepository']);
    expect([kustomization.apiVersion, kustomization.kind]).toEqual(['kustomize.toolkit.fluxcd.io/v1', 'Kustomization']);
    expect(kustomization.spec.path).toBe('./dist');
    expect(kustomization.spec.prune).toBe(true);
    expect(kustomization.spec.sourceRef).toEqual({ kind: 'GitRepository', name: source.metadata.name });
    expect(kustomization.metadata.namespace).toBe(source.metadata.namespace);
  });

  test('the pull request workflow runs the pull request\'s code with a read-only token: the tests and both drift checks', () => {
    const workflow = read('.github/workflows/routing-pr.yml');
    const steps: { run?: string }[] = workflow.jobs.routing.steps;
    const runs = steps.map((s) => s.run ?? '').join('\n');
    expect(Object.keys(workflow.on)).toEqual(['pull_request']);
    expect(workflow.permissions).toEqual({ contents: 'read' });
    for (const command of ['npm test', 'npm run -s check:dist', 'npm run -s check:diagrams']) expect(runs).toContain(command);
    expect(runs).not.toContain('diff');
  });

  test('the risk gate runs the target branch\'s code on the pull request\'s dist/ only, posts the Markdown diff and fails on risky', () => {
    const workflow = read('.github/workflows/routing-risk.yml');
    const steps: { run?: string; uses?: string; with?: Record<string, unknown> }[] = workflow.jobs['risk-gate'].steps;
    expect(Object.keys(workflow.on)).toEqual(['pull_request_target']);
    expect(workflow.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
    // The target branch's commit, and no token stored where a file of the pull request could point.
    expect(steps[0]).toEqual({
      uses: 'actions/checkout@v4',
      with: { ref: '${{ github.event.pull_request.base.sha }}', 'fetch-depth': 0, 'persist-credentials': false },
    });
    const runs = steps.map((s) => s.run ?? '').join('\n');
    // What comes from the pull request: its dist/ as files, links refused; nothing else is checked out, installed or run.
    expect(runs).toContain('git restore --source=refs/remotes/pull/head --worktree -- dist\n');
    expect(runs).toContain("grep -q '^120000 '");
    expect(runs.match(/refs\/remotes\/pull\/head/g)).toHaveLength(4);
    expect(runs).toContain('--format markdown > "$RUNNER_TEMP/routing-diff.md"');
    expect(steps[steps.length - 1].run).toBe('npm run -s diff -- --base "$(cat "$RUNNER_TEMP/merge-base")" --fail-on risky > /dev/null');
    const script = steps.find((s) => s.uses?.startsWith('actions/github-script@'))!.with!.script as string;
    expect(script).toContain("const marker = '<!-- ml-mesh-routing:traffic-diff -->';");
    expect(script).toContain('github.rest.issues.updateComment');
  });
});
