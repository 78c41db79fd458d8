import { UserError } from '../errors';
import { checkHostname, checkLabelName } from '../values/names';

export interface IngressOptions {
  /** The Gateway, as `namespace/name`. */
  readonly gateway: string;
  /** External hostnames served through the gateway. */
  readonly hosts: readonly string[];
  /**
   * Keep routing in-mesh callers too. With `false`, in-mesh callers get no
   * routes at all and reach every pod, canary included: that needs
   * `unroutedMeshCallers: true` to say it is meant.
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
    return new Exposure(true, [], []);
  }

  /** Through one or more gateways, with external hostnames. */
  public static ingress(...ingresses: IngressOptions[]): Exposure {
    if (ingresses.length === 0) throw new UserError('Exposure.ingress: at least one gateway is required, received none');
    const gateways: string[] = [];
    const hosts: string[] = [];
    for (const ingress of ingresses) {
      if (ingress.mesh === false && !ingress.unroutedMeshCallers) {
        throw new UserError(`Exposure.ingress: mesh: false leaves in-mesh callers with no routes, so they reach every pod of every version, canary included; set unroutedMeshCallers: true if that is meant, received mesh: false for gateway ${ingress.gateway}`);
      }
      gateways.push(checkGatewayReference(ingress.gateway));
      if (ingress.hosts.length === 0) throw new UserError(`Exposure.ingress: gateway ${ingress.gateway} needs at least one host, received none`);
      for (const host of ingress.hosts) {
        hosts.push(checkHostname(`Exposure.ingress: host`, host, { wildcard: ingress.allowWildcardHosts }));
      }
    }
    return new Exposure(ingresses.every((i) => i.mesh ?? true), gateways, hosts);
  }

  private constructor(
    public readonly mesh: boolean,
    public readonly gateways: readonly string[],
    public readonly externalHosts: readonly string[],
  ) {}
}

function checkGatewayReference(reference: string): string {
  const parts = reference.split('/');
  if (parts.length !== 2) {
    throw new UserError(`Exposure.ingress: gateway must be "namespace/name", received "${reference}"`);
  }
  checkLabelName('Exposure.ingress: gateway namespace', parts[0]);
  checkLabelName('Exposure.ingress: gateway name', parts[1]);
  return reference;
}
