import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { runDiffCli } from '../../bin/diff';
import { buildApp } from '../../main';
import { RoutingApi } from '../model-service-props';
import { compareOutputs } from './compare-outputs';
import { migrationReport, renderMigrationText, unexplained } from './migration-report';

type Json = Record<string, any>;

/** The example app's objects per output file (`ml.<service>.yaml`), synthesized with one API as the default. */
function exampleOutput(api: RoutingApi): Map<string, Json[]> {
  const outdir = mkdtempSync(join(tmpdir(), `migration-${api}-`));
  try {
    buildApp({ api, outdir }).synth();
    return new Map(readdirSync(outdir).sort().map((file) => [file, readFileSync(join(outdir, file), 'utf8').split(/^---$/m).map((doc) => load(doc) as Json)]));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

const REPO = join(__dirname, '..', '..');

function cli(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = runDiffCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) }, REPO);
  return { code, stdout, stderr };
}

describe('migration: the Istio output and the Gateway API output of one app, request by request', () => {
  const istio = exampleOutput('istio');
  const gatewayApi = exampleOutput('gateway-api');

  test('done when: the example services on the Gateway API route every request as on the Istio API, beyond what the mapping names', () => {
    const report = migrationReport(istio, gatewayApi);
    expect(report.migrated).toEqual(['ml/demand-forecast', 'ml/image-classifier']);
    expect(unexplained(report)).toEqual([]);
    expect(report.comparison.requests).toBeGreaterThan(4000);
    // What differs is named, and only that: Istio's wider retries on HTTPRoutes, and mesh callers naming the public host.
    expect([...new Set(report.comparison.differences.map((d) => d.named!.id))].sort()).toEqual(['exposureIngress', 'retriesDefault']);
  });

  test('a weight the Gateway API output changes is a difference, named by request and by the rule that answered on each side', () => {
    const shifted = new Map(gatewayApi);
    shifted.set('ml.demand-forecast.yaml', gatewayApi.get('ml.demand-forecast.yaml')!.map((o) => (o.kind !== 'HTTPRoute' ? o : {
      ...o, spec: { ...o.spec, rules: o.spec.rules.map((r: Json) => ({ ...r, backendRefs: r.backendRefs.map((b: Json) => ({ ...b, weight: b.name.endsWith('v1') ? 75 : 25 })) })) },
    })));
    const report = migrationReport(istio, shifted);
    const failing = unexplained(report);
    expect(failing.length).toBeGreaterThan(0);
    expect(failing.every((d) => d.request.host.toLowerCase().startsWith('demand-forecast'))).toBe(true);
    expect(failing[0].istio.shares).toEqual({ 'ml/demand-forecast@v1': 90, 'ml/demand-forecast@v2': 10 });
    expect(failing[0].gatewayApi.shares).toEqual({ 'ml/demand-forecast@v1': 75, 'ml/demand-forecast@v2': 25 });
    expect(renderMigrationText(report).split('\n')).toContain(
      '  GET demand-forecast/ from a sidecar in ml: istio 200 → ml/demand-forecast@v1 90%, ml/demand-forecast@v2 10% path / retries 2 on connect-failure,refused-stream (VirtualService ml/demand-forecast rule default); '
      + 'gateway-api 200 → ml/demand-forecast@v1 75%, ml/demand-forecast@v2 25% path / retries 2 on cancelled,connect-failure,refused-stream,retriable-status-codes,unavailable (HTTPRoute ml/demand-forecast rule default)',
    );
  });

  test('a per-version Service counts as its version only if it selects the subset\'s pods: another selector is another destination', () => {
    const wrong = (gatewayApi.get('ml.demand-forecast.yaml') ?? []).map((o) => (o.kind === 'Service' && o.metadata.name === 'demand-forecast-v2'
      ? { ...o, spec: { ...o.spec, selector: { app: 'demand-forecast', version: 'v1' } } } : o));
    const comparison = compareOutputs(istio.get('ml.demand-forecast.yaml')!, wrong);
    expect(comparison.differences.filter((d) => !d.named)[0].gatewayApi.shares).toEqual({ 'ml/demand-forecast@v1': 90, 'ml/demand-forecast-v2': 10 });
  });

  test('requests to the per-version Services are not asked: only the Gateway API output has them, and no caller names them yet', () => {
    const comparison = compareOutputs(istio.get('ml.demand-forecast.yaml')!, gatewayApi.get('ml.demand-forecast.yaml')!);
    expect(comparison.newHosts).toBeGreaterThan(0);
  });
});

describe('npm run diff -- --migration', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'migration-cli-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('options of the revision diff are refused with it, and --app without it: exit 2', () => {
    expect(cli('--migration', '--base', 'HEAD', '--fail-on', 'risky')).toEqual({ code: 2, stdout: '', stderr: 'error: --migration compares two outputs of the working tree\'s app; it takes no --base, --fail-on\n' });
    expect(cli('--app', 'node app.js')).toEqual({ code: 2, stdout: '', stderr: 'error: --app needs --migration\n' });
  });

  test('an app whose Istio synth fails is exit 2 with its message; a Gateway API synth that refuses is exit 1 with the loss report', () => {
    const app = join(dir, 'app.js');
    writeFileSync(app, [
      "const api = process.argv[process.argv.indexOf('--api') + 1];",
      "if (process.env.FAIL_ISTIO || api === 'gateway-api') { console.error('error: ml/m: route \"a\": fault has no Gateway API equivalent'); process.exit(1); }",
      "require('fs').mkdirSync(process.argv[process.argv.indexOf('--outdir') + 1], { recursive: true });",
    ].join('\n'));
    expect(cli('--migration', '--app', `node ${app}`)).toEqual({
      code: 1,
      stdout: '',
      stderr: 'migration: the Gateway API synth refused; each option below has no Gateway API equivalent on Istio (set api: \'istio\' on its service to keep it there):\nerror: ml/m: route "a": fault has no Gateway API equivalent\n',
    });
    process.env.FAIL_ISTIO = '1';
    try {
      expect(cli('--migration', '--app', `node ${app}`)).toEqual({
        code: 2,
        stdout: '',
        stderr: `error: the app's Istio synth failed (node ${app}):\nerror: ml/m: route "a": fault has no Gateway API equivalent\n`,
      });
    } finally {
      delete process.env.FAIL_ISTIO;
    }
  });

  test('an app that ignores --outdir is exit 2 with what it must do, not a stack trace', () => {
    const app = join(dir, 'silent.js');
    writeFileSync(app, '');
    const { code, stdout, stderr } = cli('--migration', '--app', `node ${app}`);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toMatch(new RegExp(`^error: node ${app.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} exited 0 but wrote nothing to the --outdir it was given \\(.+/istio\\): its entry must call runApp\\(buildApp\\), which takes --outdir and --api\n$`));
  });

  test('this repository\'s app: exit 0, the two example services on the Gateway API, no traffic difference', () => {
    const { code, stdout, stderr } = cli('--migration');
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^migration: \d+ requests asked of the Istio output and the Gateway API output, 0 traffic differences$/);
    expect(lines[1]).toBe('  on the Gateway API: ml/demand-forecast, ml/image-classifier');
  }, 60_000);
});
