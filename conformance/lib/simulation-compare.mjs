// Compares, for one request, where Istio's generated Envoy routes send it (the Go harness's
// result) with what our simulator explains (lib/traffic/explanation.ts). Routing only:
// authorization happens on the receiving sidecar (Envoy RBAC), outside the routes.

const WEIGHT_TOLERANCE = 0.01; // percent: our weights may be rounded to two decimals

/**
 * The fields on which the two answers to `request` differ: [{ field, envoy, ours }], empty
 * when they agree. Fields: status (routed or not, and the code), virtualService, rule,
 * destinations, mirrors, received.path and received.host (the request after rewrites).
 */
export function compareAnswers(request, envoy, ours) {
  const diffs = [];
  const differ = (field, e, o) => diffs.push({ field, envoy: e, ours: o });

  const ourStatus = routingStatus(ours);
  if (envoy.status !== ourStatus) differ('status', envoy.status, ourStatus);
  // When no route matches, Envoy's answer names no VirtualService (its routes carry that, not
  // its virtual hosts), while ours says which one had no matching rule: compare only routed ones.
  if (envoy.status !== 404 || ourStatus !== 404) {
    if ((envoy.virtualService ?? null) !== (ours.virtualService ?? null)) {
      differ('virtualService', envoy.virtualService ?? null, ours.virtualService ?? null);
    }
    if ((envoy.rule ?? null) !== (ours.rule ?? null)) differ('rule', envoy.rule ?? null, ours.rule ?? null);
  }

  const dest = (d) => ({ host: d.host, subset: d.subset ?? null, share: d.weight });
  if (!sameShares(envoy.destinations.map(dest), (ours.destinations ?? []).map(dest))) {
    differ('destinations', envoy.destinations.map(dest), (ours.destinations ?? []).map(dest));
  }
  const mirror = (m) => ({ host: m.host, subset: m.subset ?? null, share: m.percentage });
  if (!sameShares(envoy.mirrors.map(mirror), (ours.mirrors ?? []).map(mirror))) {
    differ('mirrors', envoy.mirrors.map(mirror), (ours.mirrors ?? []).map(mirror));
  }

  // What the destination receives, when both route it: the path (with query) after any
  // rewrite, and the host name (without port, lower case). Compared as effects, so that a regex rewrite whose
  // pattern does not match (Envoy: configured, path unchanged) equals no rewrite.
  if (envoy.status === 200 && ourStatus === 200) {
    const envoyPath = envoy.rewrite?.uri ?? request.path;
    const ourPath = ours.received?.path ?? request.path;
    if (envoyPath !== ourPath) differ('received.path', envoyPath, ourPath);
    const envoyHost = withoutPort(envoy.rewrite?.authority ?? request.host);
    const ourHost = withoutPort(ours.received?.host ?? request.host);
    if (envoyHost !== ourHost) differ('received.host', envoyHost, ourHost);
  }
  return diffs;
}

/** Host names compare case-insensitively (RFC 9110); the port is not part of the name. */
const withoutPort = (host) => String(host).replace(/:\d+$/, '').toLowerCase();

/**
 * Our status with what the receiving workload decides taken out: a 403 from a denying policy,
 * or a 503 from a connection the workload's mTLS settings refuse, on a routed request is, as
 * far as routing goes, a 200. (A 503 for a missing cluster is routing: it says allowed.)
 */
export function routingStatus(ours) {
  const refusedByWorkload = (ours.status === 403 || ours.status === 503) && ours.authorization?.allowed === false;
  if (refusedByWorkload && ours.destinations?.length) return 200;
  return ours.status;
}

/** Same (host, subset) pairs with the same shares, within the tolerance; order does not matter. */
function sameShares(a, b) {
  const sum = (list) => {
    const m = new Map();
    for (const x of list) {
      const key = `${x.host}|${x.subset ?? ''}`;
      m.set(key, (m.get(key) ?? 0) + Number(x.share));
    }
    return m;
  };
  const ma = sum(a);
  const mb = sum(b);
  if (ma.size !== mb.size) return false;
  for (const [key, share] of ma) {
    if (!mb.has(key) || Math.abs(mb.get(key) - share) > WEIGHT_TOLERANCE) return false;
  }
  return true;
}
