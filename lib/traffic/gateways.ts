/** Istio Gateways as the traffic model reads them: which hosts each server takes in, on which port. */

export interface GatewayServer {
  /** The Gateway, `ns/name`: VirtualServices bound to it get this server's requests. */
  readonly gateway: string;
  readonly port: number;
  /** Upper case: HTTP, HTTP2, HTTPS, GRPC, TCP, TLS... */
  readonly protocol: string;
  /** `host`, `*`, `*.example.com`, or `ns/host` (only VirtualServices in `ns` get it). */
  readonly hosts: readonly string[];
  readonly httpsRedirect: boolean;
}

export interface ModelGateway {
  readonly ref: string;
  readonly name: string;
  readonly namespace: string;
  readonly createdAt?: number;
  readonly selector: Readonly<Record<string, string>>;
  readonly servers: readonly GatewayServer[];
}

type Json = { readonly [key: string]: any };

export function readGateway(ref: string, namespace: string, createdAt: number | undefined, spec: Json): ModelGateway {
  const servers: GatewayServer[] = (spec.servers ?? []).map((server: Json) => ({
    gateway: ref,
    port: Number(server.port?.number),
    protocol: String(server.port?.protocol ?? '').toUpperCase(),
    hosts: (server.hosts ?? []).map((h: string) => sanitizedHost(h, namespace)),
    httpsRedirect: server.tls?.httpsRedirect === true,
  }));
  return { ref, name: ref.split('/')[1], namespace, createdAt, selector: spec.selector ?? {}, servers };
}

/** As Istio's sanitizeServerHostNamespace: `./host` names the Gateway's namespace, `*\/host` is `host`. */
function sanitizedHost(host: string, namespace: string): string {
  if (host.startsWith('./')) return `${namespace}/${host.slice(2)}`;
  if (host.startsWith('*/')) return host.slice(2);
  return host;
}

/** Protocols whose servers route plain-text HTTP by VirtualService http rules. */
const PLAIN_HTTP = new Set(['HTTP', 'HTTP2', 'GRPC', 'GRPC-WEB']);

/**
 * The servers a gateway proxy listens with on one port for plain-text HTTP:
 * those of the Gateway the request enters by and of every other Gateway that
 * selects the same pods (Istio merges them into one proxy), in Istio's order
 * of Gateways. Undefined when the Gateway is not among the inputs: its
 * servers are unknown.
 */
export function serversOnPort(gateways: readonly ModelGateway[], ref: string, port: number): GatewayServer[] | undefined {
  const entered = gateways.find((g) => g.ref === ref);
  if (!entered) return undefined;
  const selects = (g: ModelGateway) => Object.entries(g.selector).every(([key, value]) => entered.selector[key] === value);
  return gateways
    .filter((g) => g === entered || selects(g))
    .flatMap((g) => g.servers)
    .filter((s) => s.port === port && PLAIN_HTTP.has(s.protocol));
}

/**
 * Istio's host.NamesForNamespace: a server's hosts as a VirtualService in
 * `namespace` sees them (`ns/host` only in `ns`, `*\/host` in all).
 */
export function serverHostsFor(server: GatewayServer, namespace: string): string[] {
  return server.hosts.flatMap((h) => {
    const at = h.indexOf('/');
    if (at < 0) return [h];
    const hostNamespace = h.slice(0, at);
    return hostNamespace === namespace || hostNamespace === '*' ? [h.slice(at + 1)] : [];
  });
}
