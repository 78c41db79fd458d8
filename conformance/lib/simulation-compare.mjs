// Compares, for one request, where Istio's generated Envoy routes send it (the Go harness's
// result) with what our simulator explains (lib/traffic/explanation.ts). Routing only:
// authorization happens on the receiving sidecar (Envoy RBAC), outside the routes.

const WEIGHT_TOLERANCE = 0.01; // percent: our weights may be rounded to two decimals

/**
 * The fields on which the two answers differ: [{ field, envoy, ours }], empty when they agree.
 * Fields: status (routed or not, and the code), virtualService, rule, destinations,
 * mirrors, rewrite.uri (the path the destination receives), rewrite.authority.
 */
export function compareAnswers(envoy, ours) {
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

  // Envoy's side carries the path after the rewrite; ours says it as `received.path`.
  const envoyUri = envoy.rewrite?.uri ?? null;
  const ourUri = ours.rewrite?.uri !== undefined ? (ours.received?.path ?? null) : null;
  if (envoyUri !== ourUri) differ('rewrite.uri', envoyUri, ourUri);
  const envoyAuthority = envoy.rewrite?.authority ?? null;
  const ourAuthority = ours.rewrite?.authority ?? null;
  if (envoyAuthority !== ourAuthority) differ('rewrite.authority', envoyAuthority, ourAuthority);
  return diffs;
}

/**
 * Our status with authorization taken out: a 403 from a denying policy on a routed
 * request is, as far as routing goes, a 200.
 */
export function routingStatus(ours) {
  if (ours.status === 403 && ours.authorization && ours.authorization.allowed === false && ours.destinations?.length) return 200;
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
