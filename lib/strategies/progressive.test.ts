import { Chart, Duration } from 'cdk8s';
import { ModelService, Percent, ProgressiveOptions, ReleasePositions, RequestMatch, RoutingApp, Strategy } from '..';

const ANALYSIS = { minRequests: 100, successRate: Percent.of(99), p99Latency: Duration.millis(500), interval: Duration.minutes(5) };
const PLAN: ProgressiveOptions = { from: 'v1', to: 'v2', steps: [Percent.of(10), Percent.of(50), Percent.of(100)], analysis: ANALYSIS };
const dest = (subset: string) => ({ destination: { host: 'model', subset } });

/** A RoutingApp with one progressive service `ml/model`, at the recorded positions. */
function appAt(releases: ReleasePositions | undefined, plan: ProgressiveOptions = PLAN): RoutingApp {
  const app = new RoutingApp({ outdir: '/nonexistent', releases });
  new ModelService(new Chart(app, 'ml', { namespace: 'ml' }), 'model', { versions: { v1: {}, v2: {} }, traffic: Strategy.progressive(plan) });
  return app;
}

const routeOf = (app: RoutingApp) => (app.charts[0].toJson().find((o) => o.kind === 'VirtualService') as any).spec.http[0].route;

function problemsOf(app: RoutingApp): string[] {
  try {
    app.synthesize();
    return [];
  } catch (err) {
    return (err as { problems?: string[] }).problems ?? [(err as Error).message];
  }
}

describe('Strategy.progressive', () => {
  test('without a recorded position the release has not started: all traffic to from', () => {
    expect(routeOf(appAt(undefined))).toEqual([dest('v1')]);
    expect(routeOf(appAt({}))).toEqual([dest('v1')]);
  });

  test('each step gives the candidate its percentage of the plan', () => {
    const at = (step: number) => routeOf(appAt({ 'ml/model': { from: 'v1', to: 'v2', state: 'progressing', step } }));
    expect(at(0)).toEqual([dest('v1')]);
    expect(at(1)).toEqual([{ ...dest('v1'), weight: 90 }, { ...dest('v2'), weight: 10 }]);
    expect(at(2)).toEqual([{ ...dest('v1'), weight: 50 }, { ...dest('v2'), weight: 50 }]);
    expect(at(3)).toEqual([dest('v2')]);
  });

  test('a rolled-back release sends all traffic to from; a completed one all to to, whatever the step reached', () => {
    expect(routeOf(appAt({ 'ml/model': { from: 'v1', to: 'v2', state: 'rolled-back', step: 2 } }))).toEqual([dest('v1')]);
    expect(routeOf(appAt({ 'ml/model': { from: 'v1', to: 'v2', state: 'completed', step: 1 } }))).toEqual([dest('v2')]);
  });

  test('a step beyond the plan fails synth with the construct path, the rule and the value', () => {
    expect(problemsOf(appAt({ 'ml/model': { from: 'v1', to: 'v2', state: 'progressing', step: 4 } }))).toEqual([
      'ml/model: default route: releases: ml/model: step must be between 0 and 3 (the plan has 3 steps), received 4',
    ]);
  });

  test('a position recorded for another release than the plan in code fails synth', () => {
    expect(problemsOf(appAt({ 'ml/model': { from: 'v0', to: 'v1', state: 'completed', step: 3 } }))).toEqual([
      'ml/model: default route: releases: ml/model: records the release v0 → v1, but the plan in code is v1 → v2; remove its entry to start the new release at step 0',
    ]);
  });

  test('a position for a service without a progressive release fails synth, naming the services that have one', () => {
    expect(problemsOf(appAt({ 'ml/other': { from: 'v1', to: 'v2', state: 'progressing', step: 1 } }))).toEqual([
      'releases: ml/other: names no service with a progressive release (services with one: ml/model)',
    ]);
  });

  test('from and to must be declared versions', () => {
    expect(problemsOf(appAt({}, { ...PLAN, to: 'v3' }))).toEqual([
      'ml/model: default route: sends traffic to version "v3", which is not declared (declared: v1, v2)',
    ]);
  });

  test('steps are increasing whole Percents ending at 100', () => {
    const plan = (steps: unknown[]) => () => Strategy.progressive({ ...PLAN, steps: steps as Percent[] });
    expect(plan([Percent.of(10), Percent.of(50)])).toThrow('Strategy.progressive: steps must end at 100, received 10, 50');
    expect(plan([Percent.of(50), Percent.of(10), Percent.of(100)])).toThrow('Strategy.progressive: steps must increase, received 50, 10, 100');
    expect(plan([Percent.of(12.5), Percent.of(100)])).toThrow('Strategy.progressive: steps[0] must be a whole percentage above 0, received 12.5');
    expect(plan([Percent.of(0), Percent.of(100)])).toThrow('Strategy.progressive: steps[0] must be a whole percentage above 0, received 0');
    expect(plan([10, 100])).toThrow('Strategy.progressive: steps[0] must be a Percent (Percent.of(n)), received 10');
    expect(plan([])).toThrow('Strategy.progressive: steps must list at least one percentage, received []');
  });

  test('the analysis has typed thresholds', () => {
    const withAnalysis = (analysis: object) => () => Strategy.progressive({ ...PLAN, analysis: { ...ANALYSIS, ...analysis } });
    expect(withAnalysis({ minRequests: 0 })).toThrow('Strategy.progressive: analysis.minRequests must be a whole number of at least 1, received 0');
    expect(withAnalysis({ successRate: 99 })).toThrow('Strategy.progressive: analysis.successRate must be a Percent (Percent.of(n)), received 99');
    expect(withAnalysis({ interval: 300 })).toThrow('Strategy.progressive: analysis.interval must be a Duration, received 300');
    expect(() => Strategy.progressive({ ...PLAN, to: 'v1' })).toThrow('Strategy.progressive: from and to must be different versions, received "v1" for both');
  });

  test('one service has one release: two different plans on it fail synth', () => {
    const app = new RoutingApp({ outdir: '/nonexistent', releases: {} });
    new ModelService(new Chart(app, 'ml', { namespace: 'ml' }), 'model', {
      versions: { v1: {}, v2: {}, v3: {} },
      traffic: Strategy.progressive(PLAN),
      routes: [{ name: 'score', match: RequestMatch.uriPrefix('/score'), strategy: Strategy.progressive({ ...PLAN, to: 'v3' }) }],
    });
    expect(problemsOf(app)).toContain('ml/model: default route: a service has at most one progressive release, received v1 → v3 (10, 50, 100) and v1 → v2 (10, 50, 100)');
  });
});
