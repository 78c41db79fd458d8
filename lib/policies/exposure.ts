import { UserError } from '../errors';
import { checkHostname, checkLabelName } from '../values/names';

export interface IngressOptions {
  /** The Gateway, as `namespace/name`. */
  readonly gateway: string;
  /** External hostnames served through the gateway. */
  readonly hosts: readonly string[];
  /**
   * Keep routing in-mesh callers too.
   * @default true
   */
  readonly mesh?: boolean;
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

  /** The VirtualService's `gateways`; omitted when only the mesh applies (Istio's default). */
  public get gatewaysField(): string[] | undefined {
    if (this.gateways.length === 0) return undefined;
    return this.mesh ? ['mesh', ...this.gateways] : [...this.gateways];
  }
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
