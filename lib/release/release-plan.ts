import { Duration } from 'cdk8s';
import { UserError } from '../errors';
import { Percent } from '../values/percent';

/** What the gate measures on the candidate before each automatic step. */
export interface ReleaseAnalysis {
  /** Fewer requests than this in the interval is a failed check (too little evidence). */
  readonly minRequests: number;
  /** The share of non-5xx responses the candidate must reach, e.g. `Percent.of(99)`. */
  readonly successRate: Percent;
  /** The candidate's p99 latency must not exceed this. */
  readonly p99Latency: Duration;
  /** The window the metrics are taken over, e.g. `Duration.minutes(5)`. */
  readonly interval: Duration;
}

/** Where a release stands: `progressing` at a step, `rolled-back` (all to from) or `completed` (all to to). */
export type ReleaseState = 'progressing' | 'rolled-back' | 'completed';
export const RELEASE_STATES: readonly ReleaseState[] = ['progressing', 'rolled-back', 'completed'];

/** Each version's share of the traffic in percent, `from` first: `{ v1: 90, v2: 10 }`. */
export type ReleaseWeights = Readonly<Record<string, number>>;

/**
 * The position of one release, as recorded in releases.yaml. `step` 0 is
 * before the first step (all traffic to `from`); step k gives `to` the k-th
 * percentage of the plan. A rollback or completion keeps the step reached.
 */
export interface ReleasePosition {
  readonly from: string;
  readonly to: string;
  readonly state: ReleaseState;
  readonly step: number;
  /**
   * The shares this position gave when it was recorded (releases.yaml always
   * holds them): a plan changed in code since then must give the same ones.
   * @default not checked
   */
  readonly weights?: ReleaseWeights;
  /**
   * The last step the gate let through (`promote --prometheus`) and the
   * shares it gave. A position the gate did not record, reached by a hand
   * promote or an edit, is risky in npm run diff. A rollback forgets it.
   */
  readonly gated?: GatedStep;
  /** Why the move to this position skipped the gate (`complete --skip-gate <reason>`): npm run diff rates it risky. */
  readonly gateSkipped?: string;
}

export interface GatedStep {
  readonly step: number;
  readonly weights: ReleaseWeights;
}

/** The checked, plain form of `Strategy.progressive` options. */
export class ReleasePlan {
  public readonly steps: readonly number[];

  public constructor(
    public readonly from: string,
    public readonly to: string,
    steps: readonly Percent[],
    public readonly analysis: ReleaseAnalysis,
  ) {
    const where = 'Strategy.progressive';
    if (from === to) throw new UserError(`${where}: from and to must be different versions, received "${from}" for both`);
    this.steps = checkSteps(where, steps);
    checkAnalysis(where, analysis);
  }

  /** Where a release that nothing has recorded yet stands: all traffic to `from`. */
  public get start(): ReleasePosition {
    return { from: this.from, to: this.to, state: 'progressing', step: 0 };
  }

  /** Each version's share at a position, `from` first: `{ v1: 90, v2: 10 }`. */
  public weightsAt(position: ReleasePosition): Record<string, number> {
    const toShare = position.state === 'completed' ? 100 : position.state === 'rolled-back' ? 0 : this.percentAt(position.step);
    return { [this.from]: 100 - toShare, [this.to]: toShare };
  }

  /** The position as releases.yaml records it: with the shares this plan gives there. */
  public recorded(position: ReleasePosition): ReleasePosition {
    return { ...position, weights: this.weightsAt(position) };
  }

  /** Why a recorded position does not fit this plan; undefined when it fits. */
  public misfit(position: ReleasePosition): string | undefined {
    if (position.from !== this.from || position.to !== this.to) {
      return `records the release ${position.from} → ${position.to}, but the plan in code is ${this.from} → ${this.to}; remove its entry to start the new release at step 0`;
    }
    if (position.step > this.steps.length) {
      return `step must be between 0 and ${this.steps.length} (the plan has ${this.steps.length} steps), received ${position.step}`;
    }
    const now = this.weightsAt(position);
    if (position.weights && !sameWeights(position.weights, now)) {
      return `step ${position.step} was recorded as ${describeWeights(position.weights)}, but the plan in code gives ${describeWeights(now)} there (steps ${this.steps.join(', ')}): ` +
        'a plan changed mid-release would move traffic past the gate; change it once the release is completed or rolled back';
    }
    return undefined;
  }

  private percentAt(step: number): number {
    return step === 0 ? 0 : this.steps[step - 1];
  }
}

function sameWeights(a: ReleaseWeights, b: ReleaseWeights): boolean {
  const versions = Object.keys(b);
  return Object.keys(a).length === versions.length && versions.every((v) => a[v] === b[v]);
}

/** `v1 90%, v2 10%` */
function describeWeights(weights: ReleaseWeights): string {
  return Object.entries(weights).map(([version, share]) => `${version} ${share}%`).join(', ');
}

function checkSteps(where: string, steps: readonly Percent[]): number[] {
  if (!Array.isArray(steps) || steps.length === 0) throw new UserError(`${where}: steps must list at least one percentage, received ${JSON.stringify(steps)}`);
  const values = steps.map((step, i) => {
    if (!(step instanceof Percent)) throw new UserError(`${where}: steps[${i}] must be a Percent (Percent.of(n)), received ${JSON.stringify(step)}`);
    if (!step.isWhole || step.value === 0) throw new UserError(`${where}: steps[${i}] must be a whole percentage above 0, received ${step.value}`);
    return step.value;
  });
  for (let i = 1; i < values.length; i++) {
    if (values[i] <= values[i - 1]) throw new UserError(`${where}: steps must increase, received ${values.join(', ')}`);
  }
  if (values[values.length - 1] !== 100) throw new UserError(`${where}: steps must end at 100, received ${values.join(', ')}`);
  return values;
}

function checkAnalysis(where: string, analysis: ReleaseAnalysis): void {
  if (!analysis) throw new UserError(`${where}: analysis must be given, received ${JSON.stringify(analysis)}`);
  const { minRequests, successRate, p99Latency, interval } = analysis;
  if (!Number.isInteger(minRequests) || minRequests < 1) throw new UserError(`${where}: analysis.minRequests must be a whole number of at least 1, received ${minRequests}`);
  if (!(successRate instanceof Percent)) throw new UserError(`${where}: analysis.successRate must be a Percent (Percent.of(n)), received ${JSON.stringify(successRate)}`);
  for (const [field, value] of [['p99Latency', p99Latency], ['interval', interval]] as const) {
    if (!(value instanceof Duration)) throw new UserError(`${where}: analysis.${field} must be a Duration, received ${JSON.stringify(value)}`);
    if (value.toMilliseconds({ integral: false }) < 1) throw new UserError(`${where}: analysis.${field} must be at least 1ms, received ${value.toMilliseconds({ integral: false })}ms`);
  }
}
