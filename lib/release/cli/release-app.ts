import { IConstruct } from 'constructs';
import { UserError } from '../../errors';
import { LlmService } from '../../llm/llm-service';
import { ModelService } from '../../model-service';
import { RoutingApp, RoutingAppProps, SynthResult } from '../../synth/routing-app';
import { ImpossibleMove } from '../moves';
import { ReleasePlan, ReleasePosition } from '../release-plan';
import { ReleasePositions } from '../releases-file';

export type BuildApp = (props: RoutingAppProps) => RoutingApp;

/** One progressive release of a synthesized app. */
export interface Release {
  readonly service: string;
  readonly plan: ReleasePlan;
  readonly position: ReleasePosition;
  /** The Kubernetes Service the release routes (for the gate's metrics). */
  readonly host: string;
  readonly namespace: string;
}

/** An app built and synthesized in memory, with its releases; throws UserError when it does not synthesize. */
export class ReleaseApp {
  public static synthesize(build: BuildApp, props: RoutingAppProps): ReleaseApp {
    const app = build(props);
    if (app.releases.file === undefined) {
      throw new UserError('the app records no release positions: pass releasesFile (e.g. \'releases.yaml\') to its RoutingApp');
    }
    return new ReleaseApp(app, app.synthesize());
  }

  private constructor(public readonly app: RoutingApp, public readonly result: SynthResult) {}

  public get releasesFile(): string {
    return this.app.releases.file!;
  }

  public get recorded(): ReleasePositions {
    return this.app.releases.recorded;
  }

  public get releases(): Release[] {
    const services = (this.app.node.findAll() as IConstruct[]).filter((c): c is ModelService | LlmService => c instanceof ModelService || c instanceof LlmService);
    return this.app.releases.releases.map(([service, plan]) => {
      const owner = services.find((s) => `${s.namespace}/${s.name}` === service)!;
      // An LLM service's versions are pools: the gate reads the candidate pool's shadow Service.
      const host = owner instanceof LlmService ? owner.poolHost(plan.to) : owner.host;
      return { service, plan, position: this.app.releases.positionOf(service, plan), host, namespace: owner.namespace };
    });
  }

  /** The release of `service`; ImpossibleMove naming the services that have one otherwise. */
  public release(service: string): Release {
    const all = this.releases;
    const found = all.find((r) => r.service === service);
    if (!found) throw new ImpossibleMove(`${service}: no progressive release in this app (releases: ${all.map((r) => r.service).join(', ') || 'none'})`);
    return found;
  }
}
