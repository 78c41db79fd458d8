import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDiagramCli } from '../../bin/diagram';
import { service, to } from '../../test/diff-fixture';
import { buildTrafficModel } from '../traffic';
import { buildServiceViews } from '../traffic-view';
import { escapeLabel } from './mermaid-text';
import { serviceFlowchart } from './service-flowchart';

const root = join(__dirname, '..', '..');

function run(cwd: string, ...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = runDiagramCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) }, cwd);
  return { code, stdout, stderr };
}

describe('diagrams', () => {
  test('entry points → service → rules in order → versions with shares; mirrors dashed; rewrite, timeout, fault and security noted', () => {
    const objects = [
      ...service([
        { name: 'predict', match: [{ uri: { exact: '/predict' } }], route: [to('v1', 90), to('v2', 10)], mirror: { host: 'm', subset: 'v2' }, mirrorPercentage: { value: 5 }, rewrite: { uri: '/v1/models/m:predict' }, timeout: '10s' },
        { name: 'chaos', match: [{ headers: { 'x-chaos-test': { exact: 'true' } } }], route: [to('v1')], fault: { delay: { fixedDelay: '2s', percentage: { value: 100 } } } },
      ], { hosts: ['m', 'm.example.com'], gateways: ['mesh', 'istio-ingress/public'] }),
      { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'm', namespace: 'ml' }, spec: { selector: { matchLabels: { version: 'v1' } }, rules: [{ from: [{ source: { namespaces: ['web'] } }] }] } },
    ];
    const [view] = buildServiceViews(buildTrafficModel(objects));
    expect(serviceFlowchart(view).split('\n')).toEqual([
      'flowchart LR',
      '  entry0(["gateway istio-ingress/public"])',
      '  entry1(["mesh (sidecars)"])',
      '  service["ml/m<br/>m.example.com<br/>m.ml.svc.cluster.local"]',
      '  entry0 --> service',
      '  entry1 --> service',
      '  rule0["1. /predict (exact)<br/>rule predict<br/>rewrite uri to /v1/models/m:predict<br/>timeout 10s"]',
      '  service --> rule0',
      '  rule0 -->|"90%"| version0',
      '  rule0 -->|"10%"| version1',
      '  rule0 -.->|"mirror 5%"| version1',
      '  rule1["2. x-chaos-test = true<br/>rule chaos<br/>fault: delay 2s on 100%"]',
      '  service --> rule1',
      '  rule1 -->|"100%"| version0',
      '  version0("v1<br/>mTLS PERMISSIVE<br/>callers: namespace web")',
      '  version1("v2<br/>mTLS PERMISSIVE")',
      '',
    ]);
  });

  test('an ALLOW policy without rules shows that nobody may call (issue 22.1: allowedCallers: [])', () => {
    const objects = [
      ...service([{ name: 'default', route: [to('v1')] }]),
      { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'm', namespace: 'ml' }, spec: { selector: { matchLabels: { version: 'v1' } }, action: 'ALLOW' } },
    ];
    const [view] = buildServiceViews(buildTrafficModel(objects));
    expect(serviceFlowchart(view)).toContain('  version0("v1<br/>mTLS PERMISSIVE<br/>callers: none<br/>paths: none")\n');
  });

  test('labels escape what Mermaid or HTML would read', () => {
    expect(escapeLabel('"a" <b> & #1')).toBe('#quot;a#quot; #lt;b#gt; #amp; #35;1');
    const [view] = buildServiceViews(buildTrafficModel(service([{ name: 'q', match: [{ uri: { regex: '/x/"[0-9]+"' } }], route: [to('v1')] }])));
    expect(serviceFlowchart(view)).toContain('  rule0["1. regex /x/#quot;[0-9]+#quot;<br/>rule q"]\n');
  });

  test('docs/routing/ is what dist/ gives (drift check, as in CI)', () => {
    expect(run(root, '--check')).toEqual({ code: 0, stderr: '', stdout: 'check:diagrams: docs/routing/ matches dist/ (8 files)\n' });
  });

  describe('in a scratch folder', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'diagram-'));
      mkdirSync(join(dir, 'dist'));
      writeFileSync(join(dir, 'dist', 'm.yaml'), service([{ name: 'default', route: [to('v1')] }]).map((o) => JSON.stringify(o)).join('\n---\n'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    test('writes one page per service and removes pages of services gone; --check reports drift and exits 1', () => {
      mkdirSync(join(dir, 'docs/routing/old'), { recursive: true });
      writeFileSync(join(dir, 'docs/routing/old/gone.md'), '# gone\n');
      expect(run(dir, '--check')).toEqual({
        code: 1,
        stdout: '',
        stderr: [
          'missing from docs/routing/: ml/m.md',
          'in docs/routing/ but no such service in dist/: old/gone.md',
          'check:diagrams: 2 file(s) in docs/routing/ differ from dist/; run `npm run diagram` and commit docs/routing/',
          '',
        ].join('\n'),
      });
      expect(run(dir)).toEqual({ code: 0, stderr: '', stdout: 'diagram: 1 service diagram(s) in docs/routing/ (2 file(s) written or removed)\n' });
      expect(existsSync(join(dir, 'docs/routing/old/gone.md'))).toBe(false);
      expect(readFileSync(join(dir, 'docs/routing/ml/m.md'), 'utf8').split('\n').slice(0, 7)).toEqual([
        '# ml/m',
        '',
        '<!-- Generated by `npm run diagram` from dist/. Do not edit: run `npm run diagram` and commit. -->',
        '',
        'Hosts: `m.ml.svc.cluster.local`. Rules in the order Istio evaluates them (the first match wins); dashed edges are mirrored copies.',
        '',
        '```mermaid',
      ]);
      writeFileSync(join(dir, 'docs/routing/ml/m.md'), 'edited by hand\n');
      expect(run(dir, '--check')).toMatchObject({ code: 1, stderr: expect.stringContaining('differs from dist/: docs/routing/ml/m.md\n') });
      expect(run(dir, '--check', '--dist', 'nowhere')).toEqual({ code: 2, stdout: '', stderr: 'error: nowhere: no such folder (run npm run synth first, or pass --dist)\n' });
    });

    test('an absolute --out or --dist is that folder, not one under the working directory', () => {
      const elsewhere = mkdtempSync(join(tmpdir(), 'diagram-out-'));
      try {
        expect(run(dir, '--dist', join(dir, 'dist'), '--out', elsewhere)).toMatchObject({ code: 0, stderr: '' });
        expect(existsSync(join(elsewhere, 'ml/m.md'))).toBe(true);
        expect(existsSync(join(dir, elsewhere))).toBe(false);
      } finally {
        rmSync(elsewhere, { recursive: true, force: true });
      }
    });
  });
});
