import { UserError } from '../errors';
import { hostSubsetOf } from '../validation/core/hosts';
import { checkHostname, checkLabelName } from '../values/names';

export interface ExternalGatewayOptions {
  /** The hosts its servers accept, as its `servers[].hosts` list them (`*.example.com` allowed). */
  readonly hosts: readonly string[];
}

/**
 * A Gateway this repository routes through but does not own (the platform
 * team's ingress): declared by name and hosts so that synth checks routes
 * against it as `istioctl analyze` would against the real one (IST0101,
 * IST0132), without emitting it.
 */
export class ExternalGateway {
  public static of(reference: string, options: ExternalGatewayOptions): ExternalGateway {
    const [namespace, name] = parseGatewayReference('ExternalGateway.of', reference);
    if (options.hosts.length === 0) throw new UserError(`ExternalGateway.of: ${reference} needs the hosts it serves, received none`);
    const hosts = options.hosts.map((host) => (host === '*' ? host : checkHostname('ExternalGateway.of: host', host, { wildcard: true })));
    return new ExternalGateway(namespace, name, hosts);
  }

  private constructor(public readonly namespace: string, public readonly name: string, public readonly hosts: readonly string[]) {}

  public get reference(): string {
    return `${this.namespace}/${this.name}`;
  }

  /** Whether one of its server hosts accepts `host`: equal, `*`, or a `*.suffix` wildcard. */
  public serves(host: string): boolean {
    return this.hosts.some((h) => hostSubsetOf(host, h));
  }

  /**
   * The Kubernetes Gateway that stands for it in the Gateway API output's
   * analysis (context, never written to dist/): Istio's class, one HTTP
   * listener on port 80 per host it serves, open to routes of any namespace,
   * since which namespaces it admits is the platform team's to say.
   */
  public toKubernetesContextObject(): Record<string, unknown> {
    return {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: this.name, namespace: this.namespace },
      spec: {
        gatewayClassName: 'istio',
        listeners: this.hosts.map((host, i) => ({
          name: `http-${i}`,
          port: 80,
          protocol: 'HTTP',
          ...(host !== '*' && { hostname: host }),
          allowedRoutes: { namespaces: { from: 'All' } },
        })),
      },
    };
  }

  /** The Gateway as analysis sees it (context, never written to dist/). */
  public toContextObject(): Record<string, unknown> {
    return {
      apiVersion: 'networking.istio.io/v1',
      kind: 'Gateway',
      metadata: { name: this.name, namespace: this.namespace },
      spec: { servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: [...this.hosts] }] },
    };
  }
}

/** A Gateway's "namespace/name", checked; `where` starts each message. */
export function parseGatewayReference(where: string, reference: string): [namespace: string, name: string] {
  const parts = reference.split('/');
  if (parts.length !== 2) throw new UserError(`${where}: gateway must be "namespace/name", received "${reference}"`);
  return [checkLabelName(`${where}: gateway namespace`, parts[0]), checkLabelName(`${where}: gateway name`, parts[1])];
}
