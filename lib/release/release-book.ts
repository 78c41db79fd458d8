import { IConstruct } from 'constructs';
import { UserError } from '../errors';
import { ReleasePlan, ReleasePosition } from './release-plan';
import { ReleasePositions } from './releases-file';

/** The position of one service's release, as its strategy asks for it. */
export interface ReleaseSlot {
  /** Throws UserError when the recorded position does not fit the plan. */
  positionOf(plan: ReleasePlan): ReleasePosition;
}

/**
 * The recorded positions of an app's progressive releases (releases.yaml),
 * and the plans that claimed them while the app was resolved. After a
 * synth, every recorded entry must have been claimed by a plan.
 */
export class ReleaseBook {
  private readonly plans = new Map<string, ReleasePlan>();

  public constructor(
    /** The file the positions come from (and the release CLI writes); none for an app that records no releases. */
    public readonly file: string | undefined,
    public readonly recorded: ReleasePositions,
  ) {}

  /** For messages: the file name. */
  public get source(): string {
    return this.file ?? 'releases';
  }

  public slot(service: string): ReleaseSlot {
    return { positionOf: (plan) => this.positionOf(service, plan) };
  }

  /** The recorded position of `service` checked against `plan` (step 0 when none is recorded). */
  public positionOf(service: string, plan: ReleasePlan): ReleasePosition {
    const claimed = this.plans.get(service);
    if (claimed && claimed !== plan && !samePlan(claimed, plan)) {
      throw new UserError(`a service has at most one progressive release, received ${describe(claimed)} and ${describe(plan)}`);
    }
    this.plans.set(service, claimed ?? plan);
    const position = this.recorded[service];
    if (!position) return plan.start;
    const misfit = plan.misfit(position);
    if (misfit) throw new UserError(`${this.source}: ${service}: ${misfit}`);
    return position;
  }

  /** Services with a progressive release, sorted, with their plans (known once the app was resolved). */
  public get releases(): Array<[string, ReleasePlan]> {
    return [...this.plans].sort(([a], [b]) => a.localeCompare(b));
  }

  /** Entries of the file that no service's plan claimed. */
  public unclaimedProblems(): string[] {
    const known = this.releases.map(([service]) => service);
    return Object.keys(this.recorded)
      .filter((service) => !this.plans.has(service))
      .map((service) => `${this.source}: ${service}: names no service with a progressive release (services with one: ${known.join(', ') || 'none'})`);
  }
}

/** Apps that record release positions (RoutingApp) expose them as `releases`. */
export function releaseSlotOf(construct: IConstruct, service: string): ReleaseSlot | undefined {
  const book = (construct.node.root as { releases?: unknown }).releases;
  return book instanceof ReleaseBook ? book.slot(service) : undefined;
}

function samePlan(a: ReleasePlan, b: ReleasePlan): boolean {
  return a.from === b.from && a.to === b.to && a.steps.join() === b.steps.join();
}

function describe(plan: ReleasePlan): string {
  return `${plan.from} → ${plan.to} (${plan.steps.join(', ')})`;
}
