import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiObject, Chart } from 'cdk8s';
import { Exposure, ExternalGateway, ModelService, OutlierDetection, Percent, RequestMatch, RoutingApp, RoutingAppProps, runApp, Strategy, TrafficStrategy } from '..';
import { ISTIO_FIELD_NAMES } from '../render/cdk8s-json';
import { writeDirectoryAtomically } from './write-atomically';
import { declareFleet } from '../../bench/fleet';
import { buildApp } from '../../main';

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'synth-test-'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

function appWith(props: RoutingAppProps, declare: (chart: Chart) => void): RoutingApp {
  const app = new RoutingApp(props);
  declare(new Chart(app, 'team', { namespace: 'models' }));
  return app;
}

function captureStderr(run: () => void): string {
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    run();
    return spy.mock.calls.map((call) => String(call[0])).join('');
  } finally {
    spy.mockRestore();
  }
}

describe('synth', () => {
  test('writes one file per service, all at the top level, and nothing that is not a Kubernetes object', () => {
    const outdir = join(work, 'dist');
    appWith({ outdir }, (chart) => {
      new ModelService(chart, 'b-model', { versions: { v1: {} } });
      new ModelService(chart, 'a-model', { versions: { v1: {} } });
    }).synth();
    // kubectl apply -f dist reads only the top level, and refuses anything that is not a Kubernetes object.
    expect(readdirSync(outdir).sort()).toEqual(['models.a-model.yaml', 'models.b-model.yaml']);
  });

  test('is byte-identical across runs', () => {
    const build = () => appWith({}, (chart) => {
      new ModelService(chart, 'm', { versions: { v1: {}, v2: {} }, traffic: Strategy.canary({ v1: Percent.of(60), v2: Percent.of(40) }) });
    }).synthesize().files;
    expect([...build()]).toEqual([...build()]);
  });

  test('a failed synth exits 1 with every problem, no stack trace, and leaves the old output intact', () => {
    // GIVEN a previous output
    const outdir = join(work, 'dist');
    mkdirSync(outdir);
    writeFileSync(join(outdir, 'previous.yaml'), 'kept: true\n');
    // WHEN the app has mistakes
    const build = (props: RoutingAppProps) => appWith(props, (chart) => {
      new ModelService(chart, 'm', { versions: { v1: {} }, stable: 'v2' });
      new ModelService(chart, 'n', { versions: { v1: {} }, traffic: Strategy.to('v3') });
    });
    const previousExitCode = process.exitCode;
    const stderr = captureStderr(() => runApp(build, ['node', 'main.js', '--outdir', outdir]));
    const exitCode = process.exitCode;
    process.exitCode = previousExitCode;
    // THEN
    expect(exitCode).toBe(1);
    expect(stderr).toBe([
      'error: synth failed with 2 problems; nothing was written:',
      '  team/m: stable must be one of the declared versions (v1), received "v2"',
      '  team/n: default route: sends traffic to version "v3", which is not declared (declared: v1)',
      '',
    ].join('\n'));
    expect(readdirSync(outdir)).toEqual(['previous.yaml']);
    expect(readdirSync(work)).toEqual(['dist']);
  });

  test('objects are validated against Istio\'s rules, one by one and as a set', () => {
    const app = appWith({}, (chart) => {
      new ModelService(chart, 'ip', { host: '10.0.0.1', versions: { v1: {} } });
      new ModelService(chart, 'a', { host: 'shared', versions: { v1: {} } });
      new ModelService(chart, 'b', { host: 'shared', versions: { v1: {} } });
    });
    const sameHost = 'spec.hosts[0]: The VirtualServices models/a,models/b associated with mesh gateway define the same host */shared.models.svc.cluster.local which can lead to undefined behavior. This can be fixed by merging the conflicting VirtualServices into a single resource. [IST0109]';
    expect(() => app.synthesize()).toThrow(expect.objectContaining({
      problems: [
        `team/a/VirtualService: ${sameHost}`,
        `team/b/VirtualService: ${sameHost}`,
        'team/ip/DestinationRule: spec.host: domain name "0.0.1" invalid (top level domain "1" cannot be all-numeric) [IST0106]',
        'team/ip/VirtualService: spec.http[0].route[0].destination.host: domain name "0.0.1" invalid (top level domain "1" cannot be all-numeric) [IST0106]',
      ],
    }));
  });

  test('defaultRoute: false waives our default-route rule for that service only', () => {
    const app = appWith({ strict: true }, (chart) => {
      new ModelService(chart, 'm', { versions: { v1: {} }, defaultRoute: false, routes: [{ name: 'p', match: RequestMatch.uriPrefix('/p'), strategy: Strategy.to() }] });
    });
    expect(app.synthesize().warnings).toEqual([]);
  });

  test('a successful synth says what it wrote', () => {
    const outdir = join(work, 'dist');
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      runApp((props) => appWith(props, (chart) => new ModelService(chart, 'm', { versions: { v1: {} } })), ['node', 'main.js', '--outdir', outdir]);
      expect(spy.mock.calls.map((call) => String(call[0]))).toEqual([`synth: 2 objects in 1 file written to ${outdir}/\n`]);
    } finally {
      spy.mockRestore();
    }
    expect(process.exitCode ?? 0).toBe(0);
  });

  test('other errors, such as two services with one id, print their message without a stack trace', () => {
    const previousExitCode = process.exitCode;
    const stderr = captureStderr(() => runApp((props) => appWith(props, (chart) => {
      new ModelService(chart, 'm', { versions: { v1: {} } });
      new ModelService(chart, 'm', { versions: { v1: {} } });
    }), ['node', 'main.js', '--outdir', join(work, 'x')]));
    const exitCode = process.exitCode;
    process.exitCode = previousExitCode;
    expect(exitCode).toBe(1);
    expect(stderr).toBe('error: There is already a Construct with name \'m\' in Chart [team] (run with --stack for the stack trace)\n');
  });

  test('an output directory that cannot be made is one line naming it, and nothing is written', () => {
    const previousExitCode = process.exitCode;
    writeFileSync(join(work, 'file'), 'not a folder');
    const outdir = join(work, 'file', 'dist');
    const stderr = captureStderr(() => runApp((props) => appWith(props, (chart) => new ModelService(chart, 'm', { versions: { v1: {} } })), ['node', 'main.js', '--outdir', outdir]));
    const exitCode = process.exitCode;
    process.exitCode = previousExitCode;
    expect(exitCode).toBe(1);
    expect(stderr).toBe(`error: outdir ${outdir}: cannot create a folder beside it (EEXIST: file already exists, mkdir '${join(work, 'file')}')\n`);
    expect(readdirSync(work)).toEqual(['file']);
  });

  test('a user mistake at declaration time is a message too', () => {
    const previousExitCode = process.exitCode;
    const stderr = captureStderr(() => runApp(() => appWith({}, () => Percent.of(150)), ['node', 'main.js', '--outdir', join(work, 'x')]));
    const exitCode = process.exitCode;
    process.exitCode = previousExitCode;
    expect(exitCode).toBe(1);
    expect(stderr).toBe('error: Percent.of: percent must be between 0 and 100, received 150\n');
  });

  test('writeDirectoryAtomically replaces the whole tree and leaves no staging directory', () => {
    const outdir = join(work, 'out');
    writeDirectoryAtomically(outdir, new Map([['a/one.yaml', '1'], ['stale.yaml', 'x']]));
    writeDirectoryAtomically(outdir, new Map([['a/two.yaml', '2']]));
    expect(readdirSync(outdir)).toEqual(['a']);
    expect(readdirSync(join(outdir, 'a'))).toEqual(['two.yaml']);
    expect(readdirSync(work)).toEqual(['out']);
  });

  test('objects outside a ModelService go to a file named after their chart', () => {
    const app = new RoutingApp();
    const chart = new Chart(app, 'extras', { namespace: 'models' });
    new ModelService(chart, 'm', { versions: { v1: {} } });
    new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'routing-notes' } });
    expect([...app.synthesize().files.keys()]).toEqual(['extras.yaml', 'models.m.yaml']);
  });

  test('removing a version the routes in the output still use is refused; idle first, then removal, works', () => {
    const outdir = join(work, 'dist');
    const declare = (versions: Record<string, { idle?: boolean }>, traffic?: TrafficStrategy) => appWith({ outdir }, (chart) => {
      new ModelService(chart, 'm', { versions, ...(traffic && { traffic }) });
    });
    declare({ v1: {}, v2: {} }, Strategy.canary({ v1: Percent.of(90), v2: Percent.of(10) })).synth();
    // WHEN v2 disappears in the same change that stops routing to it
    const stderr = captureStderr(() => runApp(() => declare({ v1: {} }), ['node', 'app']));
    process.exitCode = undefined;
    // THEN nothing is written, and the message says how to remove it safely
    expect(stderr).toBe([
      'error: synth failed with 1 problem; nothing was written:',
      `  team/m/DestinationRule: version "v2" is removed while the VirtualService in ${join(outdir, 'models.m.yaml')} still routes to it; applied together, requests would reach a subset that no longer exists (503). Keep it with idle: true and no route first, apply that, then remove it`,
      '',
    ].join('\n'));
    expect(readFileSync(join(outdir, 'models.m.yaml'), 'utf8')).toContain('subset: v2');
    // Make-before-break: idle first, then removed.
    declare({ v1: {}, v2: { idle: true } }).synth();
    declare({ v1: {} }).synth();
    expect(readFileSync(join(outdir, 'models.m.yaml'), 'utf8')).not.toContain('v2');
  });

  test('with the Gateway API too: a version\'s Service goes only once the HTTPRoutes in the output send it nothing', () => {
    const outdir = join(work, 'dist');
    const declare = (versions: Record<string, { idle?: boolean }>, traffic?: TrafficStrategy) => appWith({ outdir, api: 'gateway-api' }, (chart) => {
      new ModelService(chart, 'm', { targetPort: 8080, workloadLabels: { app: 'm' }, versions, ...(traffic && { traffic }) });
    });
    declare({ v1: {}, v2: {} }, Strategy.canary({ v1: Percent.of(90), v2: Percent.of(10) })).synth();
    // WHEN v2 disappears in the same change that stops routing to it
    const stderr = captureStderr(() => runApp(() => declare({ v1: {} }), ['node', 'app']));
    process.exitCode = undefined;
    // THEN nothing is written
    expect(stderr).toBe([
      'error: synth failed with 1 problem; nothing was written:',
      `  team/m: the Service "m-v2" of a removed version is gone while the HTTPRoute in ${join(outdir, 'models.m.yaml')} still routes to it; applied together, requests would reach a backend that no longer exists (500). Keep the version with idle: true and no route first, apply that, then remove it`,
      '',
    ].join('\n'));
    declare({ v1: {}, v2: { idle: true } }).synth();
    declare({ v1: {} }).synth();
    expect(readFileSync(join(outdir, 'models.m.yaml'), 'utf8')).not.toContain('m-v2');
  });

  test('synthesis reads each service\'s objects from its routing model, exactly as its cdk8s ApiObjects render them', () => {
    const app = new RoutingApp();
    declareFleet(app, 100);
    const example = buildApp();
    for (const service of [...app.node.findAll(), ...example.node.findAll()].filter((c): c is ModelService => c instanceof ModelService)) {
      const fromConstructs = service.node.children.filter((c): c is ApiObject => c instanceof ApiObject)
        .map((o) => ({ json: o.toJson(), constructPath: o.node.path }));
      expect(service.renderedObjects()).toEqual(fromConstructs);
      // Key order too: it is the order of the YAML.
      expect(JSON.stringify(service.renderedObjects())).toBe(JSON.stringify(fromConstructs));
    }
  });

  test('the generated imports name one field differently from Istio, and synthesis renames exactly that one', () => {
    // The converters write `'<istio name>': obj.<typescript name>` for every field.
    const renamed = new Map<string, string>();
    for (const file of ['networking.istio.io.ts', 'security.istio.io.ts']) {
      const source = readFileSync(join(__dirname, '../../imports', file), 'utf8');
      for (const [, istio, typescript] of source.matchAll(/'([A-Za-z0-9]+)': obj\.([A-Za-z0-9]+)/g)) if (istio !== typescript) renamed.set(typescript, istio);
    }
    expect(renamed).toEqual(ISTIO_FIELD_NAMES);
    const withOutlierDetection = appWith({}, (chart) => new ModelService(chart, 'm', { versions: { v1: {} }, outlierDetection: OutlierDetection.of({ consecutive5xxErrors: 3 }) }));
    const rule = withOutlierDetection.synthesize().files.get('models.m.yaml')!;
    expect(rule).toContain('      consecutive5xxErrors: 3\n');
    expect(rule).not.toContain('5Xx');
  });

  test('a gateway owned elsewhere is declared with the hosts it serves; synth analyses against the declaration', () => {
    const withExposure = (gateway: string | ExternalGateway, hosts = ['m.example.com']) => appWith({}, (chart) => {
      new ModelService(chart, 'm', { versions: { v1: {} }, exposure: Exposure.ingress({ gateway, hosts }) });
    });
    const problems = (app: RoutingApp) => {
      try {
        app.synthesize();
        return [];
      } catch (err) {
        return (err as { problems: string[] }).problems;
      }
    };
    const edge = ExternalGateway.of('edge/public', { hosts: ['*.example.com'] });
    expect(problems(withExposure(edge))).toEqual([]);
    // Not declared: istioctl analyze would say the same of the real cluster's YAML.
    expect(problems(withExposure('edge/public'))).toEqual([
      'team/m/VirtualService: spec.gateways[1]: Referenced gateway not found: "edge/public" [IST0101]',
      'team/m/VirtualService: spec.gateways[1]: one or more host [m m.example.com] defined in VirtualService models/m not found in Gateway edge/public. [IST0132]',
    ]);
    expect(problems(withExposure(ExternalGateway.of('edge/public', { hosts: ['api.example.com'] })))).toEqual([
      'team/m: exposure: host "m.example.com" is not served by gateway edge/public (it serves api.example.com)',
    ]);
    // Two services, each declaring the hosts it uses of one gateway: analysis sees the gateway serving both.
    const twoServices = appWith({}, (chart) => {
      for (const name of ['a', 'b']) {
        const gateway = ExternalGateway.of('edge/public', { hosts: [`${name}.example.com`] });
        new ModelService(chart, name, { versions: { v1: {} }, exposure: Exposure.ingress({ gateway, hosts: [`${name}.example.com`] }) });
      }
    });
    expect(problems(twoServices)).toEqual([]);
  });
});
