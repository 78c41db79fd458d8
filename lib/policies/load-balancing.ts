import { Duration } from 'cdk8s';
import { UserError } from '../errors';
import { istioDuration } from '../values/istio-duration';

export type LoadBalancerJson =
  | { simple: 'ROUND_ROBIN' | 'LEAST_REQUEST' | 'RANDOM' }
  | { consistentHash: Record<string, unknown> };

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
    const cookie: Record<string, string> = { name };
    if (options.path !== undefined) cookie.path = options.path;
    if (options.ttl !== undefined) cookie.ttl = istioDuration(options.ttl, 'HashKey.cookie ttl');
    return new HashKey({ httpCookie: cookie });
  }

  public static sourceIp(): HashKey {
    return new HashKey({ useSourceIp: true });
  }

  public static queryParameter(name: string): HashKey {
    if (name === '') throw new UserError('HashKey.queryParameter: name must not be empty, received ""');
    return new HashKey({ httpQueryParameterName: name });
  }

  private constructor(public readonly json: Record<string, unknown>) {}
}

/** How requests are spread over the pods of a version. */
export class LoadBalancing {
  public static roundRobin(): LoadBalancing {
    return new LoadBalancing({ simple: 'ROUND_ROBIN' });
  }

  public static leastRequest(): LoadBalancing {
    return new LoadBalancing({ simple: 'LEAST_REQUEST' });
  }

  public static consistentHash(key: HashKey): LoadBalancing {
    return new LoadBalancing({ consistentHash: { ...key.json } });
  }

  private constructor(public readonly json: LoadBalancerJson) {}

  /** Envoy's slow start (warmup) only works with round robin and least request. */
  public get supportsWarmup(): boolean {
    return 'simple' in this.json && this.json.simple !== 'RANDOM';
  }
}
