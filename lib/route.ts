import { Duration } from 'cdk8s';
import { RequestMatch } from './match/request-match';
import { FaultInjection } from './policies/fault-injection';
import { RetryPolicy } from './policies/retry-policy';
import { UriRewrite } from './policies/uri-rewrite';
import { TrafficStrategy } from './strategies/traffic-strategy';

/** One route of a model service: which requests, and how their traffic is shared. */
export interface RouteOptions {
  /** Names the route's rules in the VirtualService (a DNS-1123 label). */
  readonly name: string;
  /** The route applies when any of these matches (each is an AND of its conditions). */
  readonly match: RequestMatch | readonly RequestMatch[];
  readonly strategy: TrafficStrategy;
  /**
   * Total time for the request, retries included.
   * @default the service's timeout
   */
  readonly timeout?: Duration;
  /**
   * No timeout at all, whatever the service's: for streaming responses
   * (server-sent events, gRPC streams) that outlive any unary deadline.
   * No per-try timeout either: the route keeps the service's retries
   * without their `perTryTimeout`, and refuses its own `retries` with one.
   * @default false
   */
  readonly noTimeout?: boolean;
  /**
   * The Service port this route is for: its in-mesh requests must arrive on
   * that port (`match.port`) and go to it (through a gateway, requests arrive
   * on the gateway's port and are not matched by port). For multi-port model
   * servers (Triton: 8000 HTTP, 8001 gRPC), one route per port; requests on
   * this port that no route of it matches get a 404.
   * @default the service's port
   */
  readonly port?: number;
  /**
   * @default the service's retries
   */
  readonly retries?: RetryPolicy;
  /**
   * Test-only fault injection: applies to requests matching `fault.onlyWhen`,
   * on top of the version each would reach anyway.
   */
  readonly fault?: FaultInjection;
  readonly rewrite?: UriRewrite;
}
