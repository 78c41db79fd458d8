import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { load } from 'js-yaml';
import { runInitCli } from './init-cli';
import { packageNameFor } from './gitops-repo';

const ours = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8'));
let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'init-'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

function init(argv: string[]): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const code = runInitCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) }, work);
  return { code, stdout, stderr };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? filesUnder(join(dir, name)) : [join(dir, name)]));
}

const read = (path: string) => readFileSync(join(work, 'routing', path), 'utf8');

describe('ml-routing init', () => {
  test('writes a GitOps repository: the app, its behaviour test, build config, CI, deploy/ and a README', () => {
    expect(init(['routing'])).toEqual({ code: 0, stderr: '', stdout: 'init: 12 files written to routing/\n\nNext:\n  cd routing\n  npm install\n  npm test && npm run synth\n' });
    expect(filesUnder(join(work, 'routing')).map((f) => relative(join(work, 'routing'), f)).sort()).toEqual([
      '.github/workflows/routing-pr.yml',
      '.gitignore',
      'README.md',
      'cdk8s.yaml',
      'deploy/argocd/application.yaml',
      'deploy/flux/gitrepository.yaml',
      'deploy/flux/kustomization.yaml',
      'jest.config.js',
      'main.test.ts',
      'main.ts',
      'package.json',
      'tsconfig.json',
    ].sort());
  });

  test('package.json depends on this package and its peers, with the tools at the versions this package is tested with', () => {
    init(['routing', '--package', 'file:../ml-mesh-routing-0.1.0.tgz']);
    const pkg = JSON.parse(read('package.json'));
    expect(pkg.name).toBe('routing');
    expect(pkg.dependencies).toEqual({ 'ml-mesh-routing': 'file:../ml-mesh-routing-0.1.0.tgz', cdk8s: ours.devDependencies.cdk8s, constructs: ours.devDependencies.constructs });
    expect(Object.keys(pkg.devDependencies).sort()).toEqual(['@swc/core', '@swc/jest', '@types/jest', '@types/node', 'esbuild', 'jest', 'typescript']);
    for (const [name, version] of Object.entries(pkg.devDependencies)) expect(version).toBe(ours.devDependencies[name]);
    expect(pkg.scripts).toEqual(expect.objectContaining({ test: 'tsc -p . && jest', synth: 'ml-routing synth', diff: 'ml-routing diff', release: 'ml-routing release' }));
  });

  test('the dependency defaults to this package\'s version; --name overrides the folder\'s name', () => {
    init(['My Routing', '--name', 'team-routing']);
    const pkg = JSON.parse(readFileSync(join(work, 'My Routing', 'package.json'), 'utf8'));
    expect([pkg.name, pkg.dependencies['ml-mesh-routing']]).toEqual(['team-routing', `^${ours.version}`]);
    expect(packageNameFor('/x/My Routing')).toBe('my-routing');
    expect(packageNameFor('/x/_')).toBe('ml-routing-app');
  });

  test('deploy/ applies dist/ of the new repository, and the names are filled in everywhere', () => {
    init(['routing']);
    const argo = load(read('deploy/argocd/application.yaml')) as any;
    const source = load(read('deploy/flux/gitrepository.yaml')) as any;
    const kustomization = load(read('deploy/flux/kustomization.yaml')) as any;
    expect([argo.spec.source.repoURL, argo.spec.source.path]).toEqual(['https://github.com/your-org/routing.git', 'dist']);
    expect([source.spec.url, kustomization.spec.path, kustomization.spec.sourceRef.name]).toEqual(['https://github.com/your-org/routing.git', './dist', source.metadata.name]);
    expect(load(read('cdk8s.yaml'))).toEqual(expect.objectContaining({ language: 'typescript', output: '.cdk8s.out' }));
    for (const file of filesUnder(join(work, 'routing'))) expect(readFileSync(file, 'utf8')).not.toContain('{{name}}');
  });

  test('refuses a folder that is not empty: exit 2, one line naming what is there, nothing written', () => {
    mkdirSync(join(work, 'routing'));
    writeFileSync(join(work, 'routing', 'notes.txt'), 'mine\n');
    expect(init(['routing'])).toEqual({
      code: 2,
      stdout: '',
      stderr: `error: ${join(work, 'routing')}: must be an empty or new folder, received a folder holding notes.txt; nothing was written\n`,
    });
    expect(readdirSync(join(work, 'routing'))).toEqual(['notes.txt']);
    writeFileSync(join(work, 'file'), '');
    expect(init(['file']).stderr).toBe(`error: ${join(work, 'file')}: must be an empty or new folder, received a file\n`);
  });

  test('writes into an empty folder', () => {
    mkdirSync(join(work, 'empty'));
    expect(init(['empty']).code).toBe(0);
    expect(existsSync(join(work, 'empty', 'main.ts'))).toBe(true);
  });

  test('without a folder: usage error, exit 2', () => {
    expect(init([])).toEqual({ code: 2, stdout: '', stderr: "error: missing required argument 'dir'\n" });
  });
});
