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

  test('the workflow runs the tests, both drift checks and the Markdown diff, and updates one comment found by its marker', () => {
    const workflow = read('.github/workflows/routing-pr.yml');
    const steps: { run?: string; uses?: string; with?: { script?: string } }[] = workflow.jobs.routing.steps;
    const runs = steps.map((s) => s.run ?? '').join('\n');
    expect(Object.keys(workflow.on)).toEqual(['pull_request']);
    expect(workflow.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
    for (const command of ['npm test', 'npm run -s check:dist', 'npm run -s check:diagrams', '--format markdown > routing-diff.md']) expect(runs).toContain(command);
    const script = steps.find((s) => s.uses?.startsWith('actions/github-script@'))!.with!.script!;
    expect(script).toContain("const marker = '<!-- ml-mesh-routing:traffic-diff -->';");
    expect(script).toContain('github.rest.issues.updateComment');
  });
});
