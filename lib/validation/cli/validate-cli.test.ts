import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runValidateCli } from '../../../bin/validate';

/** Runs the CLI in-process; file paths in the output are shown relative to the fixture folder. */
function run(...args: string[]): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const optionValues = new Set(['json', 'text', 'xml']);
  // Paths are fixture-relative, including --with's value.
  const code = runValidateCli(
    args.map((arg) => (arg.startsWith('-') || optionValues.has(arg) ? arg : join(root, arg))),
    { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) },
  );
  const relative = (text: string) => text.split(`${root}/`).join('');
  return { code, stdout: relative(stdout), stderr: relative(stderr) };
}

let root: string;

const VALID_VS = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: models
  namespace: ml
spec:
  hosts: [models]
  http:
  - route:
    - destination: {host: models}
      weight: 30
    - destination: {host: models-canary}
      weight: 30
`;

const INVALID_VS = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts: [reviews]
  http:
  - route:
    - destination:
        host: reviews
      wieght: 100
    timeout: 1500us
`;

const KUSTOMIZATION = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [routes.yaml]
`;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'validate-cli-'));
  mkdirSync(join(root, 'ok'));
  writeFileSync(join(root, 'ok', 'routes.yaml'), VALID_VS);
  writeFileSync(join(root, 'ok', 'kustomization.yaml'), KUSTOMIZATION);
  writeFileSync(join(root, 'ok', 'README.md'), '# not YAML, not read');
  mkdirSync(join(root, 'bad'));
  writeFileSync(join(root, 'bad', 'reviews.yml'), `---\n${INVALID_VS}`);
  writeFileSync(join(root, 'empty.yaml'), '');
  writeFileSync(join(root, 'broken.yaml'), 'spec: [unclosed\n');
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

test('a valid folder exits 0; warnings are printed and non-Istio documents are noted', () => {
  expect(run('ok')).toEqual({
    code: 0,
    stdout:
      'ok/routes.yaml:9 warning VirtualService ml/models spec.http[0].route: route weights must add up to 100 (Istio splits traffic by weight/sum of weights) (received 60)\n' +
      '0 errors, 1 warning, 0 info in 1 object from 2 files\n',
    stderr: 'note: ok/kustomization.yaml:1 Kustomization is neither an Istio nor a Gateway API object; skipped\n',
  });
});

test('--strict turns our rules into errors and makes the run fail', () => {
  const result = run('--strict', 'ok');
  expect(result.code).toBe(1);
  expect(result.stdout).toContain('ok/routes.yaml:9 error VirtualService ml/models spec.http[0].route: route weights must add up to 100');
});

test('errors point at the line of the offending field and exit 1', () => {
  expect(run('bad')).toEqual({
    code: 1,
    stdout:
      'bad/reviews.yml:12 error VirtualService default/reviews spec.http[0].route[0].wieght: unknown field "wieght"\n' +
      'bad/reviews.yml:13 error VirtualService default/reviews spec.http[0].timeout: only durations to ms precision are supported (received "1500us") [IST0106]\n' +
      '2 errors, 0 warnings, 0 info in 1 object from 1 file\n',
    stderr: '',
  });
});

test('--output json gives a machine-readable report', () => {
  const result = run('--output', 'json', 'bad', 'empty.yaml');
  expect(result.code).toBe(1);
  const report = JSON.parse(result.stdout);
  expect(report.summary).toEqual({ errors: 2, warnings: 0, infos: 0, objects: 1, files: 2 });
  expect(report.notes).toEqual(['empty.yaml: empty file; nothing to validate']);
  expect(report.diagnostics[1]).toEqual({
    file: 'bad/reviews.yml',
    line: 13,
    severity: 'error',
    code: 'IST0106',
    rule: 'duration',
    kind: 'VirtualService',
    namespace: null,
    name: 'reviews',
    path: 'spec.http[0].timeout',
    message: 'only durations to ms precision are supported',
    received: '1500us',
    istioctl: 'Error IST0106 VirtualService default/reviews: Schema validation error: only durations to ms precision are supported',
  });
});

test('broken YAML is an input error: one line, exit 2', () => {
  const result = run('broken.yaml');
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(/^error: broken\.yaml:\d+: invalid YAML: .+\n$/);
});

test('a missing path is a usage error: exit 2', () => {
  expect(run('nope.yaml')).toEqual({ code: 2, stdout: '', stderr: 'error: nope.yaml: no such file or directory\n' });
});

test('an unknown output format and missing paths are usage errors: exit 2', () => {
  expect(run('--output', 'xml', 'ok').code).toBe(2);
  expect(run().code).toBe(2);
});

test('an empty file is noted, not an error', () => {
  expect(run('empty.yaml')).toEqual({ code: 0, stdout: '0 errors, 0 warnings, 0 info in 0 objects from 1 file\n', stderr: 'note: empty.yaml: empty file; nothing to validate\n' });
});

test('--each-file keeps cross-object rules within a file, and the JSON report has a result per file', () => {
  // GIVEN two files that each declare a mesh VirtualService for the same host
  const dir = join(root, 'cases');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'a.yaml'), VALID_VS);
  writeFileSync(join(dir, 'b.yaml'), VALID_VS.replace('name: models', 'name: models-b'));
  // WHEN validated as one set, IST0109 fires; file by file, it cannot
  expect(run('cases').stdout).toContain('[IST0109]');
  const result = run('--each-file', '--output', 'json', 'cases');
  // THEN
  expect(result.code).toBe(0);
  expect(JSON.parse(result.stdout).fileResults).toEqual([
    { file: 'cases/a.yaml', readable: true, errors: 0, warnings: 1 },
    { file: 'cases/b.yaml', readable: true, errors: 0, warnings: 1 },
  ]);
});

describe('--with: context objects owned elsewhere', () => {
  const EXPOSED = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: shop
  namespace: web
spec:
  hosts: [shop.example.com]
  gateways: [istio-ingress/public-gateway]
  http:
  - route:
    - destination: {host: shop}
`;
  const GATEWAY = `apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: public-gateway
  namespace: istio-ingress
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: [shop.example.com]
    unknownField: true
`;

  beforeAll(() => {
    mkdirSync(join(root, 'exposed'));
    writeFileSync(join(root, 'exposed', 'shop.yaml'), EXPOSED);
    mkdirSync(join(root, 'platform'));
    writeFileSync(join(root, 'platform', 'gateway.yaml'), GATEWAY);
  });

  test('without the Gateway, the reference is an error, as istioctl analyze says: exit 1', () => {
    expect(run('exposed')).toEqual({
      code: 1,
      stdout:
        'exposed/shop.yaml:8 error VirtualService web/shop spec.gateways[0]: Referenced gateway not found: "istio-ingress/public-gateway" [IST0101]\n' +
        'exposed/shop.yaml:8 warning VirtualService web/shop spec.gateways[0]: one or more host [shop.example.com] defined in VirtualService web/shop not found in Gateway istio-ingress/public-gateway. [IST0132]\n' +
        '1 error, 1 warning, 0 info in 1 object from 1 file\n',
      stderr: '',
    });
  });

  test('with the Gateway as context (a folder), exit 0; the context itself is neither validated nor counted', () => {
    expect(run('exposed', '--with', 'platform')).toEqual({ code: 0, stdout: '0 errors, 0 warnings, 0 info in 1 object from 1 file\n', stderr: '' });
  });

  test('a missing --with path is a usage error: exit 2', () => {
    expect(run('exposed', '--with', 'nope')).toEqual({ code: 2, stdout: '', stderr: 'error: nope: no such file or directory\n' });
  });

  test('Services among the inputs are read for analysis, not skipped as non-Istio objects', () => {
    writeFileSync(join(root, 'exposed', 'service.yaml'), 'apiVersion: v1\nkind: Service\nmetadata: {name: shop, namespace: web}\nspec:\n  ports: [{port: 80}, {port: 9090}]\n');
    const result = run('exposed', '--with', 'platform');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      'exposed/shop.yaml:11 error VirtualService web/shop spec.http[0].route[0].destination.host: This VirtualService routes to a service "shop" that exposes multiple ports [80 9090]. Specifying a port in the destination is required to disambiguate. [IST0112]\n' +
      '1 error, 0 warnings, 0 info in 1 object from 2 files\n',
    );
    expect(result.stderr).toBe('');
  });
});
