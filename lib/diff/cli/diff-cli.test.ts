import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDiffCli } from '../../../bin/diff';
import { diffRevisions, renderJson } from '..';
import { loadRevisions } from './load-revisions';
import { TempRepo } from '../../../test/temp-repo';

function run(repo: TempRepo, ...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = runDiffCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) }, repo.dir);
  return { code, stdout, stderr };
}

/** The example's canary, as `npm run synth` writes it after changing 90/10 to 75/25 in main.ts. */
function shiftExample(repo: TempRepo): void {
  repo.edit('dist/ml.ml-service.yaml', 'subset: v1\n          weight: 90', 'subset: v1\n          weight: 75');
  repo.edit('dist/ml.ml-service.yaml', 'subset: v2\n          weight: 10', 'subset: v2\n          weight: 25');
}

describe('npm run diff', () => {
  let repo: TempRepo;
  beforeEach(() => (repo = new TempRepo()));
  afterEach(() => repo.remove());

  test('done when: 90/10 → 75/25 on the example says that 15% of /predict on ml/ml-service moves from v1 to v2', () => {
    shiftExample(repo);
    expect(run(repo, '--base', 'HEAD')).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        '1 service changes: 0 risky changes, 2 to review, 0 informational. Traffic moves: 15% of /predict moves from v1 to v2 on ml/ml-service.',
        '',
        'ml/ml-service',
        '  review  /predict: v1 90% → 75%',
        '  review  /predict: v2 10% → 25%',
        '  moves   15% of /predict moves from v1 to v2',
        '',
      ].join('\n'),
    });
  });

  test('--format json: the issue\'s shape', () => {
    shiftExample(repo);
    const { code, stdout } = run(repo, '--base', 'HEAD', '--format', 'json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      objects: [],
      services: [{
        service: 'ml/ml-service',
        changes: [
          { kind: 'weight', route: '/predict', version: 'v1', before: 90, after: 75, risk: 'review' },
          { kind: 'weight', route: '/predict', version: 'v2', before: 10, after: 25, risk: 'review' },
        ],
      }],
      summary: '1 service changes: 0 risky changes, 2 to review, 0 informational. Traffic moves: 15% of /predict moves from v1 to v2 on ml/ml-service.',
    });
  });

  test('--format markdown: a table per service and its diagrams before and after', () => {
    shiftExample(repo);
    const { code, stdout } = run(repo, '--base', 'HEAD', '--format', 'markdown');
    expect(code).toBe(0);
    expect(stdout.split('\n').slice(0, 12)).toEqual([
      '## Routing changes',
      '',
      '1 service changes: 0 risky changes, 2 to review, 0 informational. Traffic moves: 15% of /predict moves from v1 to v2 on ml/ml-service.',
      '',
      '### `ml/ml-service`',
      '',
      '| risk | change |',
      '|---|---|',
      '| review | /predict: v1 90% → 75% |',
      '| review | /predict: v2 10% → 25% |',
      '',
      '- 15% of /predict moves from v1 to v2',
    ]);
    expect(stdout.match(/```mermaid/g)).toHaveLength(2);
    expect(stdout).toContain('rule0 -->|"90%"| version0\n');
    expect(stdout).toContain('rule0 -->|"75%"| version0\n');
  });

  test('no change: exit 0 and one line', () => {
    expect(run(repo, '--base', 'HEAD')).toEqual({ code: 0, stderr: '', stdout: 'No traffic changes.\n' });
  });

  test('--fail-on risky: exit 1 when the ingress exposes one more host, 0 for a weight shift', () => {
    shiftExample(repo);
    expect(run(repo, '--base', 'HEAD', '--fail-on', 'risky').code).toBe(0);
    repo.edit('dist/ml.image-classifier.yaml', '    - classify.models.example.com\n', '    - classify.models.example.com\n    - score.models.example.com\n');
    const { code, stdout } = run(repo, '--base', 'HEAD', '--fail-on', 'risky');
    expect(code).toBe(1);
    expect(stdout).toContain('\nml/image-classifier\n  risky   now answers for host score.models.example.com\n');
  });

  test('--fail-on risky fails closed: an EnvoyFilter that removes the RBAC filter of a secured workload is risky, by kind and name', () => {
    repo.write('dist/ml.strip-rbac.yaml', [
      'apiVersion: networking.istio.io/v1alpha3', 'kind: EnvoyFilter', 'metadata:', '  name: strip-rbac', '  namespace: ml', 'spec:',
      '  workloadSelector:', '    labels:', '      app: image-classifier', '  configPatches:', '    - applyTo: HTTP_FILTER',
      '      match:', '        listener:', '          filterChain:', '            filter:', '              name: envoy.filters.network.http_connection_manager',
      '              subFilter:', '                name: envoy.filters.http.rbac', '      patch:', '        operation: REMOVE', '',
    ].join('\n'));
    expect(run(repo, '--base', 'HEAD', '--fail-on', 'risky')).toEqual({
      code: 1,
      stderr: '',
      stdout: [
        '0 services change and 1 other object: 1 risky change, 0 to review, 0 informational. Risky: EnvoyFilter ml/strip-rbac: added: the traffic model does not read EnvoyFilter, so what it does to requests is not known.',
        '',
        'EnvoyFilter ml/strip-rbac',
        '  risky   added: the traffic model does not read EnvoyFilter, so what it does to requests is not known',
        '',
      ].join('\n'),
    });
  });

  test('--format markdown: other objects get a table each, after the services', () => {
    repo.write('dist/ml.wasm.yaml', 'apiVersion: extensions.istio.io/v1alpha1\nkind: WasmPlugin\nmetadata:\n  name: auth|bypass\n  namespace: ml\nspec:\n  url: oci://example.com/plugin:1\n');
    const { code, stdout } = run(repo, '--base', 'HEAD', '--format', 'markdown', '--fail-on', 'risky');
    expect(code).toBe(1);
    expect(stdout).toBe([
      '## Routing changes',
      '',
      '0 services change and 1 other object: 1 risky change, 0 to review, 0 informational. Risky: WasmPlugin ml/auth|bypass: added: the traffic model does not read WasmPlugin, so what it does to requests is not known.',
      '',
      '### `WasmPlugin ml/auth|bypass`',
      '',
      '| risk | change |',
      '|---|---|',
      '| **risky** | added: the traffic model does not read WasmPlugin, so what it does to requests is not known |',
      '',
    ].join('\n'));
  });

  test('--fail-on risky fails closed: a Gateway serving */* on plain HTTP, added beside a service, is risky', () => {
    const sentiment = readFileSync(join(repo.dir, 'dist/ml.sentiment.yaml'), 'utf8');
    repo.write('dist/ml.sentiment.yaml', `${sentiment}---\napiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: plain\n  namespace: ml\nspec:\n  selector:\n    istio: ingressgateway\n  servers:\n    - hosts:\n        - '*/*'\n      port:\n        name: http\n        number: 80\n        protocol: HTTP\n`);
    const { code, stdout } = run(repo, '--base', 'HEAD', '--fail-on', 'risky', '--format', 'json');
    expect(code).toBe(1);
    expect(JSON.parse(stdout).objects).toEqual([{ object: 'Gateway ml/plain', changes: [{ kind: 'object-added', risk: 'risky' }] }]);
  });

  test('removing a secured service is risky: its AuthorizationPolicy and STRICT PeerAuthentication disappear', () => {
    repo.git('rm', '-q', 'dist/ml.image-classifier.yaml');
    const { code, stdout } = run(repo, '--base', 'HEAD', '--fail-on', 'risky');
    expect(code).toBe(1);
    expect(stdout).toBe([
      '1 service changes (0 added, 1 removed) and 2 other objects: 2 risky changes, 1 to review, 0 informational. Risky: '
        + 'AuthorizationPolicy ml/image-classifier: removed: what it required of the workloads it selected no longer applies (who may call them); '
        + 'PeerAuthentication ml/image-classifier: removed: what it required of the workloads it selected no longer applies (their mTLS mode).',
      '',
      'ml/image-classifier',
      '  review  service removed: its requests are no longer routed by a VirtualService (was: 1 route)',
      '',
      'AuthorizationPolicy ml/image-classifier',
      '  risky   removed: what it required of the workloads it selected no longer applies (who may call them)',
      '',
      'PeerAuthentication ml/image-classifier',
      '  risky   removed: what it required of the workloads it selected no longer applies (their mTLS mode)',
      '',
    ].join('\n'));
  });

  test('renaming a secured service is risky: the policies under the old name disappear', () => {
    const text = readFileSync(join(repo.dir, 'dist/ml.image-classifier.yaml'), 'utf8');
    repo.git('rm', '-q', 'dist/ml.image-classifier.yaml');
    repo.write('dist/ml.image-classifier-v2.yaml', text.split('image-classifier').join('image-classifier-v2'));
    const { code, stdout } = run(repo, '--base', 'HEAD', '--fail-on', 'risky', '--format', 'json');
    expect(code).toBe(1);
    expect(JSON.parse(stdout).objects.map((o: { object: string; changes: { kind: string }[] }) => [o.object, o.changes.map((c) => c.kind)])).toEqual([
      ['AuthorizationPolicy ml/image-classifier', ['policy-removed']],
      ['PeerAuthentication ml/image-classifier', ['policy-removed']],
    ]);
  });

  test('the default base: HEAD without origin/main, else the merge base with it', () => {
    shiftExample(repo);
    repo.commit('shift');
    expect(run(repo).stdout).toBe('No traffic changes.\n');
    repo.git('update-ref', 'refs/remotes/origin/main', 'HEAD~1');
    expect(run(repo).stdout.split('\n')[2]).toBe('ml/ml-service');
  });

  test('dist/ missing at the base: every service is added', () => {
    const { code, stdout } = run(repo, '--base', repo.git('commit-tree', '-m', 'empty', repo.git('mktree')));
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toBe(
      '8 services change (8 added, 0 removed) and 3 other objects: 2 risky changes, 11 to review, 0 informational. Risky: ml/image-classifier: now exposed on gateway istio-ingress/public-gateway; ml/istio-ingress~inference-gateway~chat.models.example.com: now exposed on gateway istio-ingress/inference-gateway.');
    // The three: fields the diff does not compare (load balancing, response headers), for review.
    expect(stdout.split('\n').slice(-9)).toEqual([
      'DestinationRule ml/embeddings',
      '  review  fields the diff does not compare changed: spec.trafficPolicy.loadBalancer',
      '',
      'DestinationRule ml/fraud-scorer',
      '  review  fields the diff does not compare changed: spec.trafficPolicy.connectionPool, spec.trafficPolicy.loadBalancer, spec.trafficPolicy.outlierDetection',
      '',
      'VirtualService ml/recommender',
      '  review  fields the diff does not compare changed: spec.http[recommend].route[0].headers, spec.http[recommend].route[1].headers',
      '',
    ]);
  });

  test('bad input exits 2 with one clear line', () => {
    expect(run(repo, '--base', 'nope')).toEqual({ code: 2, stdout: '', stderr: 'error: --base nope: no such commit in this repository\n' });
    expect(run(repo, '--format', 'html').code).toBe(2);
    expect(run(repo, '--format', 'html').stderr).toBe("error: option '--format <format>' argument 'html' is invalid. Allowed choices are text, markdown, json.\n");
    expect(run(repo, '--fail-on', 'review').code).toBe(2);
    expect(run(repo, '--dist', 'out')).toEqual({ code: 2, stdout: '', stderr: 'error: out: no such folder (run npm run synth first, or pass --dist)\n' });
    symlinkSync('../../.git/config', join(repo.dir, 'dist/ml.config.yaml'));
    expect(run(repo, '--base', 'HEAD')).toEqual({ code: 2, stdout: '', stderr: 'error: dist/ml.config.yaml: a symbolic link; dist/ holds files only (the diff does not follow links)\n' });
    rmSync(join(repo.dir, 'dist/ml.config.yaml'));
    repo.write('dist/ml.broken.yaml', 'kind: [\n');
    expect(run(repo, '--base', 'HEAD')).toEqual({
      code: 2, stdout: '', stderr: 'error: dist/ml.broken.yaml:2 (working tree): not valid YAML: unexpected end of the stream within a flow collection\n',
    });
  });

  test('outside a git repository: exit 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'not-a-repo-'));
    try {
      let stderr = '';
      expect(runDiffCli([], { stdout: () => {}, stderr: (t) => (stderr += t) }, dir)).toBe(2);
      expect(stderr).toBe(`error: ${dir} is not inside a git repository (npm run diff compares with a git revision)\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('npm run diff reads only what a change can affect, with the same answer', () => {
  let repo: TempRepo;
  beforeEach(() => (repo = new TempRepo()));
  afterEach(() => {
    // Whatever the case changed: the same diff as when reading both revisions whole.
    const diff = (readAll: boolean) => {
      const { before, after } = loadRevisions(repo.dir, 'dist', 'HEAD', { readAll });
      return renderJson(diffRevisions(before, after));
    };
    expect(diff(false)).toBe(diff(true));
    repo.remove();
  });

  test('a DestinationRule changed in its own file: the VirtualService in an unchanged file gets the new version', () => {
    const [rule, service] = readFileSync(join(repo.dir, 'dist/ml.ml-service.yaml'), 'utf8').split('---\n');
    repo.write('dist/ml.ml-service.yaml', service);
    repo.write('dist/ml.ml-service-subsets.yaml', rule);
    repo.commit('split');
    repo.edit('dist/ml.ml-service-subsets.yaml', '      name: v2\n', '      name: v2\n    - labels:\n        version: v3\n      name: v3\n');
    expect(run(repo, '--base', 'HEAD').stdout).toBe('1 service changes: 0 risky changes, 0 to review, 1 informational.\n\nml/ml-service\n  info    version v3 added\n');
  });

  test('a namespace-wide PeerAuthentication added: every service of the namespace is compared', () => {
    repo.write('dist/ml.mtls.yaml', 'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: default\n  namespace: ml\nspec:\n  mtls:\n    mode: DISABLE\n');
    const { code, stdout } = run(repo, '--base', 'HEAD', '--format', 'json');
    expect(code).toBe(0);
    const services = JSON.parse(stdout).services;
    // image-classifier keeps its own STRICT policy; the six others go from PERMISSIVE to DISABLE.
    expect(services.map((s: { service: string }) => s.service)).toEqual(['ml/demand-forecast', 'ml/embeddings', 'ml/fraud-scorer', 'ml/ml-service', 'ml/recommender', 'ml/sentiment']);
    expect(services[3].changes).toEqual([{ kind: 'mtls', before: 'PERMISSIVE', after: 'DISABLE', risk: 'risky' }]);
  });

  test('a mesh-wide PeerAuthentication (root namespace) added: every service is compared', () => {
    repo.write('dist/mesh-mtls.yaml', 'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: default\n  namespace: istio-system\nspec:\n  mtls:\n    mode: DISABLE\n');
    const services = JSON.parse(run(repo, '--base', 'HEAD', '--format', 'json').stdout).services;
    expect(services.map((s: { service: string }) => s.service)).toEqual(['ml/demand-forecast', 'ml/embeddings', 'ml/fraud-scorer', 'ml/ml-service', 'ml/recommender', 'ml/sentiment']);
  });

  test('an object of an unread kind in its own file, and a secured service deleted: the same objects as reading whole', () => {
    repo.write('dist/ml.sidecar.yaml', 'apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata:\n  name: default\n  namespace: ml\nspec:\n  egress:\n    - hosts:\n        - "*/*"\n');
    repo.git('rm', '-q', 'dist/ml.image-classifier.yaml');
    expect(JSON.parse(run(repo, '--base', 'HEAD', '--format', 'json').stdout).objects.map((o: { object: string }) => o.object))
      .toEqual(['AuthorizationPolicy ml/image-classifier', 'PeerAuthentication ml/image-classifier', 'Sidecar ml/default']);
  });

  test('a file that is not YAML, added or changed in dist/, is risky: Argo CD applies JSON manifests too', () => {
    repo.write('dist/ml.extra.json', '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","namespace":"ml"}}\n');
    const { code, stdout } = run(repo, '--base', 'HEAD', '--fail-on', 'risky');
    expect(code).toBe(1);
    expect(stdout).toBe([
      '0 services change and 1 other object: 1 risky change, 0 to review, 0 informational. Risky: File dist/ml.extra.json: added: the diff reads only YAML files, so what it does to requests is not known.',
      '',
      'File dist/ml.extra.json',
      '  risky   added: the diff reads only YAML files, so what it does to requests is not known',
      '',
    ].join('\n'));
    repo.commit('json');
    repo.write('dist/ml.extra.json', '{}\n');
    expect(JSON.parse(run(repo, '--base', 'HEAD', '--format', 'json').stdout).objects).toEqual([{ object: 'File dist/ml.extra.json', changes: [{ kind: 'object-changed', risk: 'risky' }] }]);
  });

  test('an allowed caller added to an AuthorizationPolicy is risky: the new caller may now reach the path', () => {
    repo.edit('dist/ml.image-classifier.yaml', '              - web\n', '              - web\n              - batch\n');
    const { code, stdout } = run(repo, '--base', 'HEAD', '--fail-on', 'risky');
    expect(code).toBe(1);
    expect(stdout.split('\n').slice(2)).toEqual([
      'ml/image-classifier',
      '  review  allowed callers namespace web, principal cluster.local/ns/istio-ingress/sa/istio-ingressgateway → namespace batch, namespace web, principal cluster.local/ns/istio-ingress/sa/istio-ingressgateway',
      '  risky   newly reachable: namespace batch may now call /v1/models/resnet50:predict',
      '',
    ]);
  });
});
