import { UserError } from '../errors';
import { checkHostname } from '../values/names';
import { ExternalGateway, parseGatewayReference } from './external-gateway';

export interface IngressOptions {
  /**
   * The Gateway: one this repository does not own, declared with
   * `ExternalGateway.of('namespace/name', { hosts })` so that synth checks the
   * hosts against it; or `namespace/name` of a Gateway declared elsewhere in
   * the app (synth reports IST0101 when none is).
   */
  readonly gateway: string | ExternalGateway;
  /** External hostnames served through the gateway. */
  readonly hosts: readonly string[];
  /**
   * Keep routing in-mesh callers too. With `false`, in-mesh callers get no
   * routes at all and reach every pod, canary included: that needs
   * `unroutedMeshCallers: true` to say it is meant. Test rules (previews,
   * fault tests) then have no in-mesh binding to keep them to, so synth
   * refuses them unless `testRulesFromGateways` opens them to the gateway.
   * @default true
   */
  readonly mesh?: boolean;
  /** Acknowledges that `mesh: false` leaves in-mesh callers unrouted. */
  readonly unroutedMeshCallers?: boolean;
  /**
   * Accept `*.example.com` hosts. Off by default: a wildcard captures traffic
   * meant for other services.
   * @default false
   */
  readonly allowWildcardHosts?: boolean;
}

/** Who can reach the service's routes: in-mesh callers, ingress gateways, or both. */
export class Exposure {
  /** Only callers inside the mesh (the default). */
  public static mesh(): Exposure {
    return new Exposure(true, [], [], [], []);
  }

  /** Through one or more gateways, with external hostnames. */
  public static ingress(...ingresses: IngressOptions[]): Exposure {
    if (ingresses.length === 0) throw new UserError('Exposure.ingress: at least one gateway is required, received none');
    const gateways: string[] = [];
    const hosts: string[] = [];
    const declared: ExternalGateway[] = [];
    const unserved: string[] = [];
    for (const ingress of ingresses) {
      if (ingress.mesh === false && !ingress.unroutedMeshCallers) {
        throw new UserError(`Exposure.ingress: mesh: false leaves in-mesh callers with no routes, so they reach every pod of every version, canary included; set unroutedMeshCallers: true if that is meant, received mesh: false for gateway ${referenceOf(ingress.gateway)}`);
      }
      gateways.push(checkGatewayReference(referenceOf(ingress.gateway)));
      if (ingress.gateway instanceof ExternalGateway) declared.push(ingress.gateway);
      if (ingress.hosts.length === 0) throw new UserError(`Exposure.ingress: gateway ${referenceOf(ingress.gateway)} needs at least one host, received none`);
      for (const host of ingress.hosts) {
        hosts.push(checkHostname(`Exposure.ingress: host`, host, { wildcard: ingress.allowWildcardHosts }));
        if (ingress.gateway instanceof ExternalGateway && !ingress.gateway.serves(host)) {
          unserved.push(`host "${host}" is not served by gateway ${ingress.gateway.reference} (it serves ${ingress.gateway.hosts.join(', ')})`);
        }
      }
    }
    return new Exposure(ingresses.every((i) => i.mesh ?? true), gateways, hosts, declared, unserved);
  }

  private constructor(
    public readonly mesh: boolean,
    public readonly gateways: readonly string[],
    public readonly externalHosts: readonly string[],
    /** Gateways owned elsewhere, declared here: the context synth analyses against. */
    public readonly declaredGateways: readonly ExternalGateway[],
    /** Hosts a declared gateway does not serve (a synth error, reported with the service's path). */
    public readonly unservedHosts: readonly string[],
  ) {}
}

function checkGatewayReference(reference: string): string {
  parseGatewayReference('Exposure.ingress', reference);
  return reference;
}

function referenceOf(gateway: string | ExternalGateway): string {
  return gateway instanceof ExternalGateway ? gateway.reference : gateway;
}
