import { Duration } from 'cdk8s';
import { UserError } from '../errors';
import {
  DestinationRuleSpecTrafficPolicyLoadBalancer,
  DestinationRuleSpecTrafficPolicyLoadBalancerConsistentHash,
  DestinationRuleSpecTrafficPolicyLoadBalancerSimple as Simple,
} from '../../imports/networking.istio.io';
import { istioDuration } from '../values/istio-duration';

/**
 * What a consistent hash is keyed on. The same key reaches the same pod of a
 * version (a warm cache, a loaded adapter); it does not keep a user on one
 * version of a weighted split: use Strategy.stickyCanary for that.
 */
export class HashKey {
  public static header(name: string): HashKey {
    if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) {
      throw new UserError(`HashKey.header: header name must be an HTTP token, received "${name}"`);
    }
    return new HashKey({ httpHeaderName: name.toLowerCase() });
  }

  /** A cookie; with `ttl`, Envoy generates it when the request has none. */
  public static cookie(name: string, options: { ttl?: Duration; path?: string } = {}): HashKey {
    if (name === '') throw new UserError('HashKey.cookie: name must not be empty, received ""');
    return new HashKey({
      httpCookie: {
        name,
        ...(options.path !== undefined && { path: options.path }),
        ...(options.ttl !== undefined && { ttl: istioDuration(options.ttl, 'HashKey.cookie: ttl') }),
      },
    });
  }

  public static sourceIp(): HashKey {
    return new HashKey({ useSourceIp: true });
  }

  public static queryParameter(name: string): HashKey {
    if (name === '') throw new UserError('HashKey.queryParameter: name must not be empty, received ""');
    return new HashKey({ httpQueryParameterName: name });
  }

  private constructor(public readonly json: DestinationRuleSpecTrafficPolicyLoadBalancerConsistentHash) {}
}

/** How requests are spread over the pods of a version. */
export class LoadBalancing {
  public static roundRobin(): LoadBalancing {
    return new LoadBalancing({ simple: Simple.ROUND_UNDERSCORE_ROBIN });
  }

  public static leastRequest(): LoadBalancing {
    return new LoadBalancing({ simple: Simple.LEAST_UNDERSCORE_REQUEST });
  }

  public static consistentHash(key: HashKey): LoadBalancing {
    return new LoadBalancing({ consistentHash: { ...key.json } });
  }

  private constructor(public readonly json: DestinationRuleSpecTrafficPolicyLoadBalancer) {}

  /** Envoy's slow start (warmup) only works with round robin and least request. */
  public get supportsWarmup(): boolean {
    return this.json.simple === Simple.ROUND_UNDERSCORE_ROBIN || this.json.simple === Simple.LEAST_UNDERSCORE_REQUEST;
  }
}
