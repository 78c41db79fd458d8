import { describePosition } from '../traffic-change';
import { Release } from './release-app';

/** The JSON of `status --json`: one object per release, sorted by service. */
export function statusJson(releases: readonly Release[]): object[] {
  return releases.map(({ service, plan, position }) => ({
    service,
    from: plan.from,
    to: plan.to,
    step: position.step,
    steps: [...plan.steps],
    weights: plan.weightsAt(position),
  }));
}

/** `ml/demand-forecast: v1 → v2, step 1 of 4 (10, 25, 50, 100): v1 90%, v2 10%` */
export function statusText(releases: readonly Release[]): string {
  if (releases.length === 0) return 'no progressive releases\n';
  return releases.map(({ service, plan, position }) => {
    const weights = Object.entries(plan.weightsAt(position)).map(([v, w]) => `${v} ${w}%`).join(', ');
    return `${service}: ${plan.from} → ${plan.to}, ${describePosition(plan, position)} (${plan.steps.join(', ')}): ${weights}\n`;
  }).join('');
}
