import { load } from 'js-yaml';
import { buildTrafficModel, explainRequest, RequestSource } from '.';

const sidecar = (namespace: string, labels?: Record<string, string>): RequestSource => ({ kind: 'sidecar', namespace, serviceAccount: 'default', ...(labels && { labels }) });
const objects = (yaml: string) => yaml.split('\n---\n').map((doc) => load(doc));

/** A VirtualService in `ml` sending /v2 to subset v2 and the rest to v1 of `host`, with the given DestinationRules. */
function mesh(host: string, destinationRules: string, extra = '') {
  const model = buildTrafficModel(objects(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: scorer, namespace: ml}
spec:
  hosts: [${host}]
  exportTo: ["*"]
  http:
  - name: v2
    match: [{uri: {prefix: /v2}}]
    route: [{destination: {host: ${host}, subset: v2}}]${extra}
  - name: v1
    route: [{destination: {host: ${host}, subset: v1}}]
---
${destinationRules}`));
  return (from: RequestSource, path = '/v2') => explainRequest(model, { host, path, from });
}

const dr = (namespace: string, name: string, host: string, subsets: string[], more = '') => `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  host: ${host}${more}
  subsets: [${subsets.map((s) => `{name: ${s}, labels: {version: ${s}}}`).join(', ')}]`;

const SCORER = 'scorer.serving.svc.cluster.local';

describe('subset clusters: a proxy has those of the DestinationRule it applies, else Envoy answers 503', () => {
  test('a DestinationRule in the VirtualService\'s namespace for a service of another namespace: only callers in that namespace have the subsets', () => {
    const ask = mesh(SCORER, dr('ml', 'scorer', SCORER, ['v1', 'v2']));
    expect(ask(sidecar('ml')).status).toBe(200);
    expect(ask(sidecar('serving'))).toMatchObject({
      status: 503,
      destinations: [{ host: SCORER, subset: 'v2', weight: 100 }],
      authorization: {
        allowed: false,
        policy: null,
        reason: `the sidecar in namespace serving has no cluster for subset "v2" of ${SCORER}: no DestinationRule for the host applies there (Istio looks in the caller's namespace, then the service's (serving), then istio-system, as exportTo allows); Envoy answers 503`,
      },
    });
    expect(ask(sidecar('web')).summary).toBe(`rule "v2" of ml/scorer sends it to 100% ${SCORER} subset v2; the sidecar in namespace web has no cluster for subset "v2" of ${SCORER}: no DestinationRule for the host applies there (Istio looks in the caller's namespace, then the service's (serving), then istio-system, as exportTo allows); Envoy answers 503`);
  });

  test('the service\'s namespace and the root namespace serve every caller they export to', () => {
    const served = mesh(SCORER, dr('serving', 'scorer', SCORER, ['v1', 'v2']));
    expect([served(sidecar('web')).status, served(sidecar('serving')).status, served(sidecar('ml')).status]).toEqual([200, 200, 200]);
    const privateToServing = mesh(SCORER, dr('serving', 'scorer', SCORER, ['v1', 'v2'], '\n  exportTo: ["."]'));
    expect([privateToServing(sidecar('web')).status, privateToServing(sidecar('serving')).status]).toEqual([503, 200]);
    const exportedToWeb = mesh(SCORER, dr('serving', 'scorer', SCORER, ['v1', 'v2'], '\n  exportTo: [web]'));
    expect([exportedToWeb(sidecar('web')).status, exportedToWeb(sidecar('ml')).status]).toEqual([200, 503]);
    const root = mesh(SCORER, dr('istio-system', 'scorer', SCORER, ['v1', 'v2']));
    expect([root(sidecar('web')).status, root(sidecar('istio-system')).status]).toEqual([200, 200]);
    const wildcard = mesh(SCORER, dr('istio-system', 'all', '"*.serving.svc.cluster.local"', ['v1', 'v2']));
    expect(wildcard(sidecar('web')).status).toBe(200);
  });

  test('the caller\'s own namespace comes first, even when its rule lacks the subset; a more specific host wins within a namespace', () => {
    const ask = mesh(SCORER, `${dr('serving', 'scorer', SCORER, ['v1', 'v2'])}\n---\n${dr('web', 'scorer-tls', SCORER, ['v1'])}`);
    expect(ask(sidecar('web')).authorization.reason).toBe(`the sidecar in namespace web has no cluster for subset "v2" of ${SCORER}: the DestinationRule that applies there (web/scorer-tls) defines no such subset; Envoy answers 503`);
    expect([ask(sidecar('web'), '/').status, ask(sidecar('ml')).status]).toEqual([200, 200]);
    const specific = mesh(SCORER, `${dr('serving', 'all', '"*.svc.cluster.local"', ['v1', 'v2'])}\n---\n${dr('serving', 'scorer', SCORER, ['v1'])}`);
    expect(specific(sidecar('web')).status).toBe(503);
  });

  test('rules for one host in one namespace merge their subsets when their exportTo sets are equal; otherwise the last applies', () => {
    const merged = mesh(SCORER, `${dr('serving', 'a', SCORER, ['v1'])}\n---\n${dr('serving', 'b', SCORER, ['v2'])}`);
    expect(merged(sidecar('web')).status).toBe(200);
    const apart = mesh(SCORER, `${dr('serving', 'a', SCORER, ['v2'])}\n---\n${dr('serving', 'b', SCORER, ['v1'], '\n  exportTo: ["*"]')}`);
    expect(apart(sidecar('web')).authorization.reason).toBe(`the sidecar in namespace web has no cluster for subset "v2" of ${SCORER}: the DestinationRule that applies there (serving/b) defines no such subset; Envoy answers 503`);
    const older = mesh(SCORER, `${dr('serving', 'b', SCORER, ['v2'], '\n  exportTo: ["*"]').replace('namespace: serving}', 'namespace: serving, creationTimestamp: "2026-01-02T00:00:00Z"}')}
---
${dr('serving', 'a', SCORER, ['v1']).replace('namespace: serving}', 'namespace: serving, creationTimestamp: "2026-01-03T00:00:00Z"}')}`);
    expect(older(sidecar('web')).status).toBe(503);
  });

  test('a rule with a workload selector applies, in its own namespace, to the proxies it selects only', () => {
    const ask = mesh(SCORER, `${dr('serving', 'scorer', SCORER, ['v1', 'v2'])}\n---\n${dr('web', 'canary-clients', SCORER, ['v2'], '\n  workloadSelector: {matchLabels: {app: shop}}')}`);
    expect(ask(sidecar('web', { app: 'shop' })).status).toBe(200);
    expect(ask(sidecar('web', { app: 'shop' }), '/').status).toBe(503);
    expect(ask(sidecar('web', { app: 'cart' })).authorization.reason).toMatch(/no DestinationRule for the host applies there/);
  });

  test('a ServiceEntry gives its host a namespace; a host without one is not judged', () => {
    const entry = `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: scorer, namespace: partners}
spec: {hosts: [scorer.example.com], ports: [{number: 80, name: http, protocol: HTTP}], resolution: DNS}`;
    const declared = mesh('scorer.example.com', `${entry}\n---\n${dr('partners', 'scorer', 'scorer.example.com', ['v1', 'v2'])}`);
    expect([declared(sidecar('web')).status, declared(sidecar('ml')).status]).toEqual([200, 200]);
    const elsewhere = mesh('scorer.example.com', `${entry}\n---\n${dr('ml', 'scorer', 'scorer.example.com', ['v1', 'v2'])}`);
    expect([elsewhere(sidecar('web')).status, elsewhere(sidecar('ml')).status]).toEqual([503, 200]);
    const unknown = mesh('scorer.example.com', dr('ml', 'scorer', 'scorer.example.com', ['v1', 'v2']));
    expect(unknown(sidecar('web')).status).toBe(200);
  });

  test('a fault that aborts every request answers before any cluster is needed', () => {
    const ask = mesh(SCORER, dr('ml', 'scorer', SCORER, ['v1', 'v2']), '\n    fault: {abort: {httpStatus: 418, percentage: {value: 100}}}');
    expect(ask(sidecar('web')).status).toBe(418);
    expect(ask(sidecar('web'), '/').status).toBe(503);
  });

  test('a gateway looks from its own namespace', () => {
    const model = buildTrafficModel(objects(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: scorer, namespace: ml}
spec:
  hosts: [scorer.example.com]
  gateways: [istio-ingress/public]
  http: [{route: [{destination: {host: ${SCORER}, subset: v2}}]}]
---
${dr('ml', 'scorer', SCORER, ['v1', 'v2'])}`));
    const through = (namespace?: string) => explainRequest(model, { host: 'scorer.example.com', path: '/', from: { kind: 'gateway', gateway: 'istio-ingress/public', ...(namespace && { namespace }) } });
    expect(through().authorization.reason).toBe(`the gateway istio-ingress/public in namespace istio-ingress has no cluster for subset "v2" of ${SCORER}: no DestinationRule for the host applies there (Istio looks in the caller's namespace, then the service's (serving), then istio-system, as exportTo allows); Envoy answers 503`);
    expect(through('ml').status).toBe(200);
  });
});
