/** Who sends a request: a sidecar (its namespace and service account), or a gateway. */
export type RequestSource =
  | { readonly kind: 'sidecar'; readonly namespace: string; readonly serviceAccount: string; readonly labels?: Readonly<Record<string, string>> }
  | {
    readonly kind: 'gateway';
    /** The Gateway, `namespace/name`. */
    readonly gateway: string;
    /**
     * The gateway workload's identity, for authorization.
     * @default namespace of the Gateway, service account `istio-ingressgateway` (Istio's default install)
     */
    readonly namespace?: string;
    readonly serviceAccount?: string;
    /**
     * The gateway pods' labels, for `sourceLabels` matches.
     * @default the Gateway's selector, when the Gateway is among the inputs
     */
    readonly labels?: Readonly<Record<string, string>>;
  };

/** One HTTP request as a client sends it. */
export interface TrafficRequest {
  /** The authority (Host header) without port: a short name, `name.ns`, an FQDN, or an external host. */
  readonly host: string;
  /** @default 80 */
  readonly port?: number;
  readonly from: RequestSource;
  /** @default GET */
  readonly method?: string;
  /** Path with query string, e.g. `/predict?x=1`. */
  readonly path: string;
  /** Header names are case-insensitive; a `cookie` header carries cookies. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Added to the `cookie` header, after any cookie given in `headers`. */
  readonly cookies?: Readonly<Record<string, string>>;
}
