/**
 * A gateway's virtual hosts on one port, as Istio builds them
 * (buildGatewayHTTPRouteConfig): for each server on the port, each
 * VirtualService bound to the server's Gateway gets the hosts it shares with
 * the server; VirtualServices sharing a host have their routes merged in
 * order, and the routes that match everything move last. A server with
 * `tls.httpsRedirect` redirects its hosts to https.
 */
import { isCatchAllBlock } from './catch-all';
import { RouteEntry, routesOf } from './evaluate-rules';
import { GatewayServer, serverHostsFor, serversOnPort } from './gateways';
import { RequestSource } from './request';
import { virtualServicesFor } from './select-virtual-service';
import { TrafficModel } from './traffic-model';
import { hostSubsetOf } from '../validation/core/hosts';

export interface GatewayVirtualHost {
  readonly domains: readonly string[];
  readonly routes: readonly RouteEntry[];
  /** A server with httpsRedirect covers the host: every plain-text request gets 301. */
  readonly requireTls: boolean;
}

type Gateway = Extract<RequestSource, { kind: 'gateway' }>;

/** Undefined: the gateway has no plain-text HTTP server on this port (no listener). */
export type GatewayRouteConfig = readonly GatewayVirtualHost[] | undefined;

const cache = new WeakMap<TrafficModel, Map<string, GatewayRouteConfig>>();

export function gatewayVirtualHosts(model: TrafficModel, source: Gateway, proxyNamespace: string, port: number): GatewayRouteConfig {
  if (!cache.has(model)) cache.set(model, new Map());
  const perProxy = cache.get(model)!;
  const key = JSON.stringify([source.gateway, source.labels ?? {}, proxyNamespace, port]);
  if (!perProxy.has(key)) perProxy.set(key, build(model, source, proxyNamespace, port));
  return perProxy.get(key);
}

/** A Gateway that is not among the inputs is taken as one HTTP server for every host, on whatever port is asked. */
function unknownGateway(gateway: string, port: number): GatewayServer[] {
  return [{ gateway, port, protocol: 'HTTP', hosts: ['*'], httpsRedirect: false }];
}

function build(model: TrafficModel, source: Gateway, proxyNamespace: string, port: number): GatewayRouteConfig {
  const servers = serversOnPort(model.gateways, source.gateway, port) ?? unknownGateway(source.gateway, port);
  if (servers.length === 0) return undefined;
  const hosts = new Map<string, { routes: RouteEntry[]; requireTls: boolean }>();
  for (const server of servers) {
    for (const vs of virtualServicesFor(model, server.gateway, proxyNamespace)) {
      const shared = intersection(serverHostsFor(server, vs.namespace), vs.hosts);
      if (shared.length === 0) continue;
      const routes = routesOf(model, vs, port, source, server.gateway);
      if (routes.length === 0) continue;
      for (const host of shared) {
        const vhost = hosts.get(host) ?? { routes: [], requireTls: false };
        vhost.routes.push(...routes);
        vhost.requireTls ||= server.httpsRedirect;
        hosts.set(host, vhost);
      }
    }
    if (!server.httpsRedirect) continue;
    for (const host of server.hosts.map((h) => h.toLowerCase())) {
      const vhost = hosts.get(host) ?? { routes: [], requireTls: true };
      vhost.requireTls = true;
      hosts.set(host, vhost);
    }
  }
  return [...hosts].map(([domain, { routes, requireTls }]) => ({ domains: [domain], routes: catchAllLast(routes), requireTls }));
}

/** Istio's host.Names.Intersection: for each pair where one covers the other, the narrower one, lower case. */
function intersection(serverHosts: readonly string[], vsHosts: readonly string[]): string[] {
  const result: string[] = [];
  for (const a of serverHosts) {
    for (const b of vsHosts) {
      const narrower = hostSubsetOf(a, b) ? a : hostSubsetOf(b, a) ? b : undefined;
      if (narrower !== undefined && !result.includes(narrower.toLowerCase())) result.push(narrower.toLowerCase());
    }
  }
  return result;
}

/** Istio's SortVHostRoutes: routes that match everything after all others, each group in its order. */
function catchAllLast(routes: readonly RouteEntry[]): RouteEntry[] {
  const catchAll = (r: RouteEntry) => isCatchAllBlock(r.block) && isCatchAllBlock(r.rootBlock);
  return [...routes.filter((r) => !catchAll(r)), ...routes.filter(catchAll)];
}
